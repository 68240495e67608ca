"""Periodic work of the manager's side (see CELERY_BEAT_SCHEDULE). Safe to run twice."""

import logging

from celery import shared_task

from ..accounts.models import User
from .dashboard import team_dashboard_refresh

log = logging.getLogger(__name__)


@shared_task
def refresh_team_dashboards_task() -> int:
    """Every managed team's dashboard computed again before its entry expires (the beat runs this
    every half TEAM_DASHBOARD_TTL), so that no manager waits for the cold computation; returns how
    many teams were refreshed."""
    teams = (
        User.objects.filter(role=User.Role.MANAGER, is_active=True, team__isnull=False)
        .order_by("team_id")
        .values_list("team_id", flat=True)
        .distinct()
    )
    refreshed = 0
    for team_id in teams:
        try:
            team_dashboard_refresh(team_id)
        except Exception:  # one team's failure leaves the others warm (its readers compute it)
            log.exception("team dashboard %s not refreshed", team_id)
        else:
            refreshed += 1
    return refreshed

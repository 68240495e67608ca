"""Writes of the manager's side: reassigning clients (their reminders and, when asked, their open
requests follow), the unassigned queue, absences."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from clients.assignment import KEEP, AssignmentRefused, clients_assign, clients_unassign
from requests.services import service_requests_reassign

from ..accounts.models import Absence, User
from .dashboard import team_dashboard_forget

__all__ = ["KEEP", "AssignmentRefused", "absence_create", "absence_end", "clients_reassign"]


@transaction.atomic
def clients_reassign(
    *, client_ids: list[int], concierge: User, backup=KEEP, move_requests: bool, by: User
) -> int:
    """Give the clients to `concierge`: history rows by `by`, open reminders moved and a handover
    prompt each (clients.signals → reminders), open requests handed over when asked. Returns how
    many clients changed hands. A bounded number of queries, however many clients."""
    changed = clients_assign(client_ids=client_ids, concierge=concierge, backup=backup, by=by)
    if move_requests:
        service_requests_reassign(client_ids=client_ids, to=concierge, by=by)
    transaction.on_commit(lambda: team_dashboard_forget(by.team_id))
    return len(changed)


def clients_move_to_queue(*, client_ids: list[int], by: User) -> int:
    moved = len(clients_unassign(client_ids=client_ids, by=by))
    transaction.on_commit(lambda: team_dashboard_forget(by.team_id))
    return moved


def absence_create(*, user: User, stand_in: User | None, starts_at, ends_at, by: User) -> Absence:
    if stand_in is not None and stand_in.pk == user.pk:
        raise AssignmentRefused(_("A concierge cannot stand in for themselves."))
    absence = Absence.objects.create(
        user=user, stand_in=stand_in, starts_at=starts_at, ends_at=ends_at, created_by=by
    )
    transaction.on_commit(lambda: team_dashboard_forget(by.team_id))
    return absence


def absence_end(*, absence: Absence, now) -> Absence:
    """End it now (or drop it if it has not begun): everything comes back to the concierge."""
    team_id = absence.user.team_id
    transaction.on_commit(lambda: team_dashboard_forget(team_id))
    if absence.starts_at >= now:
        absence.delete()
        return absence
    absence.ends_at = now
    absence.save(update_fields=["ends_at"])
    return absence

"""The handover brief: what a concierge needs before the first call to a client they take over."""

from dataclasses import dataclass

from django.utils import timezone

from clients import profile
from clients.models import Client, Interaction
from requests.models import ServiceRequest

DATES_SHOWN = 5
INTERACTIONS_SHOWN = 5


@dataclass
class Brief:
    client: Client
    contact_points: list
    household: list
    hard_constraints: list
    likes: list
    open_requests: list
    next_dates: list
    last_interactions: list


def handover_brief(client: Client) -> Brief:
    prefs = profile.preferences(client)
    today = timezone.localdate()
    dates = [d for d in profile.upcoming_dates(client, today) if d.next_on is not None]
    return Brief(
        client=client,
        contact_points=[p for p in profile.contact_points(client) if p.preferred],
        household=profile.household(client),
        hard_constraints=profile.hard_constraints(prefs),
        likes=[p for p in prefs if not p.is_hard_constraint][:8],
        open_requests=list(
            ServiceRequest.objects.filter(client=client)
            .open()
            .select_related("assignee")
            .order_by("due_at", "id")
        ),
        next_dates=dates[:DATES_SHOWN],
        last_interactions=list(
            Interaction.objects.filter(client=client).select_related("by")[:INTERACTIONS_SHOWN]
        ),
    )

"""Requests and their events on the client's timeline."""

from functools import partial

from django.utils.translation import gettext as _

from clients.timeline import Entry, display_name
from concierge.common import compiled
from concierge.common.links import row_links

from .display import labels
from .models import EVENT_ACTIONS, RequestEvent, Status

# Steps that matter inside the request, not on the client's story.
QUIET_STEPS = [
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.WAITING_ON_CLIENT,
    Status.WAITING_ON_VENDOR,
]


# What an entry shows of an event, its request and its author: read as values, not as three model
# instances a row (building those cost 230 Python calls an event, two thirds of the timeline's).
COLUMNS = (
    "kind",
    "to_value",
    "at",
    "note",
    "service_request_id",
    "service_request__title",
    "by__first_name",
    "by__last_name",
    "by__username",
)


def _events(client, limit, before=None):
    events = (
        RequestEvent.objects.filter(service_request__client=client)
        .exclude(
            kind__in=[RequestEvent.Kind.CHECKLIST, RequestEvent.Kind.EDIT, RequestEvent.Kind.VENDOR]
        )
        .exclude(kind=RequestEvent.Kind.TRANSITION, to_value__in=QUIET_STEPS)
    )
    if before is not None:
        events = events.filter(at__lt=before)
    return events.values_list(*COLUMNS)[:limit]


def _what(kind: str, to_value: str) -> str:
    """What happened, as the event's `to_label` and `get_kind_display()` say it."""
    if kind == RequestEvent.Kind.CREATED:
        return _("New request")
    if kind == RequestEvent.Kind.TRANSITION:  # RequestEvent.to_label (a vendor's are left out)
        status = labels(Status).get(to_value)
        return status if status is not None else str(EVENT_ACTIONS.get(to_value, to_value))
    if kind == RequestEvent.Kind.FEEDBACK:
        return _("Feedback %(score)s/10") % {"score": to_value}
    return labels(RequestEvent.Kind).get(kind, kind)


def request_entries(client, before, limit):
    # Compiled once per shape (a page of the timeline or the next): see concierge.common.compiled.
    values = {"client": client.pk} | ({} if before is None else {"before": before})
    events = compiled.rows(
        ("request-entries", before is None, limit), partial(_events, limit=limit), values
    )
    url = row_links("requests:detail")
    return [
        Entry(
            kind="request",
            icon="request",
            when=compiled.as_datetime(at),
            title=f"{title} · {_what(kind, to_value)}",
            body=note,
            by=display_name(first_name, last_name, username),
            url=url(request_pk),
        )
        for kind, to_value, at, note, request_pk, title, first_name, last_name, username in events
    ]

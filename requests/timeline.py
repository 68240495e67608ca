"""Requests and their events on the client's timeline."""

from functools import partial

from django.utils.translation import gettext as _

from clients.timeline import Entry
from concierge.common import compiled
from concierge.common.links import link

from .models import RequestEvent, Status

# Steps that matter inside the request, not on the client's story.
QUIET_STEPS = [
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.WAITING_ON_CLIENT,
    Status.WAITING_ON_VENDOR,
]


def _events(client, limit, before=None):
    events = (
        RequestEvent.objects.filter(service_request__client=client)
        .exclude(
            kind__in=[RequestEvent.Kind.CHECKLIST, RequestEvent.Kind.EDIT, RequestEvent.Kind.VENDOR]
        )
        .exclude(kind=RequestEvent.Kind.TRANSITION, to_value__in=QUIET_STEPS)
        .select_related("service_request", "by")
    )
    if before is not None:
        events = events.filter(at__lt=before)
    return events[:limit]


def request_entries(client, before, limit):
    # Compiled once per shape (a page of the timeline or the next): see concierge.common.compiled.
    values = {"client": client.pk} | ({} if before is None else {"before": before})
    events = compiled.objects(
        ("request-entries", before is None, limit), partial(_events, limit=limit), values
    )
    entries = []
    for event in events:
        sr = event.service_request
        if event.kind == RequestEvent.Kind.CREATED:
            what = _("New request")
        elif event.kind == RequestEvent.Kind.TRANSITION:
            what = event.to_label
        elif event.kind == RequestEvent.Kind.FEEDBACK:
            what = _("Feedback %(score)s/10") % {"score": event.to_value}
        else:
            what = event.get_kind_display()
        entries.append(
            Entry(
                kind="request",
                icon="request",
                when=event.at,
                title=f"{sr.title} · {what}",
                body=event.note,
                by=event.by.display_name if event.by else "",
                url=link("requests:detail", sr.pk),
            )
        )
    return entries

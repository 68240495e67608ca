"""A request's events on the client's timeline are read as values (`requests.timeline`), and say
what the events themselves say: the request's title and what happened (the event's `to_label`, its
kind's label, "New request", the feedback's score), who did it (their display name), and the
request's address, in each language."""

import datetime

import pytest
from django.utils import translation

from clients.timeline import timeline
from requests.models import RequestEvent
from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def what_the_events_say(client) -> list[tuple]:
    """Each shown event as its model instance words it, newest first."""
    shown = []
    events = RequestEvent.objects.filter(service_request__client=client).select_related(
        "service_request", "by"
    )
    for event in events:
        if event.kind == "created":
            what = translation.gettext("New request")
        elif event.kind == "transition":
            what = event.to_label
        elif event.kind == "feedback":
            what = translation.gettext("Feedback %(score)s/10") % {"score": event.to_value}
        else:
            what = event.get_kind_display()
        shown.append(
            (
                event.at,
                f"{event.service_request.title} · {what}",
                event.note,
                event.by.display_name if event.by else "",
                f"/requests/{event.service_request_id}/",
            )
        )
    return shown


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_kind_of_event_reads_as_its_model_says(concierge, colleague, language):
    client = ClientFactory(primary_concierge=concierge)
    dinner = ServiceRequestFactory(client=client, title="Dinner at <Le Meurice>")
    flowers = ServiceRequestFactory(client=client, title="Peonies")
    for hours, (service_request, kind, to_value, by, note) in enumerate(
        [
            (dinner, "created", "", concierge, "For two & a <dog>"),
            (dinner, "transition", "fulfilled", colleague, ""),
            (dinner, "transition", "cancelled", None, "Changed plans"),
            (dinner, "comment", "", concierge, "Called the maître d'"),
            (dinner, "assignment", "", None, ""),
            (flowers, "feedback", "9", concierge, "Lovely"),
            (flowers, "transition", "reopened", colleague, ""),
        ]
    ):
        RequestEvent.objects.create(
            service_request=service_request,
            kind=kind,
            to_value=to_value,
            by=by,
            note=note,
            at=AT - datetime.timedelta(hours=hours),
        )
    with translation.override(language):
        entries, _next_before = timeline(client)
        expected = what_the_events_say(client)
    shown = [(e.when, e.title, e.body, e.by, e.url) for e in entries if e.kind == "request"]
    assert shown == expected
    assert len(shown) == 7
    assert {e.by for e in entries} >= {"Camille Laurent", "Julien", ""}

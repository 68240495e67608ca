"""Interactions on the client's timeline are read as values (`clients.timeline`), and say what the
interaction itself says: its channel and direction in the reader's language, its summary, who
logged it (their display name, or nobody) and when, with its id for the button that records a note
about it."""

import datetime

import pytest
from django.utils import translation

from clients.models import Interaction
from clients.timeline import timeline
from tests.factories import ClientFactory, InteractionFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_interaction_reads_as_its_model_says(concierge, colleague, language):
    client = ClientFactory(primary_concierge=concierge)
    channels = [value for value, _label in Interaction.Channel.choices]
    for n, channel in enumerate(channels):
        InteractionFactory(
            client=client,
            channel=channel,
            direction=["inbound", "outbound"][n % 2],
            by=[concierge, colleague, None][n % 3],
            summary=f"Said <{channel}> & more" if n % 2 else "",
            occurred_at=AT - datetime.timedelta(hours=n),
        )
    with translation.override(language):
        entries, _next_before = timeline(client)
        expected = [
            (
                i.pk,
                i.channel,
                i.occurred_at,
                f"{i.get_channel_display()} · {i.get_direction_display()}",
                i.summary,
                i.by.display_name if i.by else "",
            )
            for i in Interaction.objects.filter(client=client).select_related("by")
        ]
    shown = [(e.item.pk, e.icon, e.when, e.title, e.body, e.by) for e in entries]
    assert shown == expected
    assert len(shown) == len(channels)
    assert {e.by for e in entries} == {"Camille Laurent", "Julien", ""}

"""The profile's header plays the latest recording of the client's name, read with the client (no
query of its own); a client read without it reads it when asked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, VoiceNote
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def clip(client, concierge, days_ago):
    return VoiceNote.objects.create(
        client=client,
        purpose=VoiceNote.Purpose.PRONUNCIATION,
        audio=f"voice/clip-{days_ago}.webm",
        mime_type="audio/webm",
        duration=2.0,
        size=1000,
        recorded_by=concierge,
        recorded_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_header_plays_the_latest_clip_read_with_the_client(concierge_client, concierge):
    client = ClientFactory(primary_concierge=concierge)
    clip(client, concierge, 10)
    latest = clip(client, concierge, 1)
    clip(client, concierge, 30)
    with CaptureQueriesContext(connection) as queries:
        page = concierge_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert reverse("clients:voice-audio", args=[client.pk, latest.pk]) in page
    assert "data-play-audio" in page
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "clients_voicenote"') and "pronunciation" in q["sql"]
    ]


def test_without_a_clip_the_header_offers_to_record_one(concierge_client, concierge):
    client = ClientFactory(primary_concierge=concierge)
    page = concierge_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "data-play-audio" not in page and "Record how to say the name" in page


def test_a_client_read_without_it_reads_it_when_asked(concierge):
    client = ClientFactory(primary_concierge=concierge)
    assert Client.objects.get(pk=client.pk).pronunciation_clip_id is None
    clip(client, concierge, 5)
    latest = clip(client, concierge, 2)
    assert Client.objects.get(pk=client.pk).pronunciation_clip_id == latest.pk

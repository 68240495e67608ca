"""Beside client.json, the export holds client.html: the whole record for a person to read, in the
reader's language, with none of our bookkeeping in either file."""

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import AnticipatedNeed
from concierge.reminders.models import Notification, Reminder
from requests.models import ChecklistItem, Feedback, RequestEvent, VendorUse
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
    VendorFactory,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eloise(concierge):
    client = ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        notes="Prefers calls after six.",
        primary_concierge=concierge,
    )
    ContactPointFactory(client=client, kind="email", value="eloise@example.fr")
    louise = RelationFactory(client=client, kind="child", name="Louise")
    ImportantDateFactory(client=client, relation=louise, date=datetime.date(2015, 3, 14))
    PreferenceFactory(client=client, kind="allergy", detail="Peanuts", severity="critical")
    InteractionFactory(client=client, by=concierge, summary="Called about the gala")
    AnticipatedNeed.objects.create(
        client=client, title="February ski week", next_on=datetime.date(2027, 2, 10)
    )
    sr = ServiceRequestFactory(client=client, title="Dinner at Le Cinq", status="fulfilled")
    RequestEvent.objects.create(
        service_request=sr, kind="comment", note="Window table", by=concierge
    )
    ChecklistItem.objects.create(service_request=sr, text="Confirm the car")
    VendorUse.objects.create(
        service_request=sr, vendor=VendorFactory(name="Le Cinq"), stage="booked"
    )
    Feedback.objects.create(service_request=sr, score=10, words="Parfait")
    reminder = Reminder.objects.create(
        owner=concierge,
        client=client,
        note="Call back",
        due_at=timezone.now(),
        dedupe_key="manual:secret-key",
    )
    Notification.objects.create(user=concierge, reminder=reminder)
    return client


def export(client_, pk):
    response = client_.get(reverse("clients:export", args=[pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive


def test_the_zip_holds_a_readable_document_of_the_whole_record(concierge_client, eloise):
    archive = export(concierge_client, eloise.pk)
    assert set(archive.namelist()) == {"client.json", "client.html"}
    html = archive.read("client.html").decode()
    for expected in (
        '<html lang="en">',
        "Madame la Présidente",
        "eloise@example.fr",
        "Louise",
        "14 Mar 2015",
        "Peanuts",
        "Called about the gala",
        "February ski week",
        "Dinner at Le Cinq",
        "Window table",
        "Confirm the car",
        "Le Cinq · Booked",
        "10/10",
        "Parfait",
    ):
        assert expected in html, expected


def test_the_document_is_in_the_readers_language(client, concierge, eloise):
    client.force_login(concierge)
    client.cookies["django_language"] = "fr"
    html = export(client, eloise.pk).read("client.html").decode()
    assert '<html lang="fr">' in html
    assert "Ménage" in html or "Foyer" in html
    assert "Demandes" in html


def test_no_bookkeeping_in_either_file(concierge_client, eloise):
    archive = export(concierge_client, eloise.pk)
    raw = archive.read("client.json").decode()
    data = json.loads(raw)
    for internal in (
        "dedupe_key",
        "email_attempts",
        '"version"',
        "search_text",
        "sort_name",
        "month_day",
        "secret-key",
    ):
        assert internal not in raw, internal
    reminders = data["other_records"]["reminders"]
    assert reminders[0]["note"] == "Call back" and "notifications" not in reminders[0]
    request = data["other_records"]["service_requests"][0]
    assert "service_request_id" not in request["events"][0]
    html = archive.read("client.html").decode()
    assert "secret-key" not in html and "dedupe" not in html


def test_the_document_costs_a_fixed_number_of_queries(concierge_client, eloise, concierge):
    def count():
        with CaptureQueriesContext(connection) as captured:
            export(concierge_client, eloise.pk)
        return len(captured)

    before = count()
    for n in range(4):
        sr = ServiceRequestFactory(client=eloise, title=f"More {n}")
        RequestEvent.objects.create(service_request=sr, kind="comment", note="x", by=concierge)
        InteractionFactory(client=eloise, by=concierge)
    assert count() == before

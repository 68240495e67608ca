"""Every URL answers a plain request (a new tab, a bookmark, a form without JavaScript) with a whole
page or a redirect, never with the bare fragment that htmx swaps in."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver
from django.utils import timezone

from clients.models import AnticipatedNeed, Preference, VoiceNote
from concierge.accounts.models import Absence
from concierge.reminders.models import Notification
from concierge.reminders.services import reminder_create
from requests.models import ChecklistItem, VendorUse
from tests.concierge.test_every_url_needs_login import ROUTES, walk
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
    VendorFactory,
)

NOT_PAGES = {
    # Not HTML for a person: a calendar, JSON, a file, a count polled by the bell.
    "calendar-feed",
    "healthz",
    "bell",
    "favicon",
    "clients:export",
    "set_language",
    "logout",
    "voice-audio",  # a recording
    "photo",
    "manifest",  # JSON for the browser
    "service-worker",  # a script
}
SECTION_OF = {"contacts": "contact_points", "household": "relations", "dates": "important_dates"}


@pytest.fixture
def world(concierge, db, settings, tmp_path):
    """One of everything the URLs name, all the concierge's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "clients.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client = ClientFactory(primary_concierge=concierge)
    note = VoiceNote(
        client=client, mime_type="audio/wav", duration=1, size=4, recorded_by=concierge
    )
    note.audio.save("note.wav", ContentFile(b"RIFF"), save=True)
    service_request = ServiceRequestFactory(client=client, assignee=concierge)
    vendor = VendorFactory()
    reminder = reminder_create(
        owner=concierge, by=concierge, title="Call", due_at=timezone.now(), client=client
    )
    notification = Notification.objects.create(user=concierge, reminder=reminder)
    parts = {
        "contacts": ContactPointFactory(client=client),
        "household": RelationFactory(client=client),
        "dates": ImportantDateFactory(client=client),
        "preferences": PreferenceFactory(client=client, kind=Preference.Kind.LIKE),
    }
    need = AnticipatedNeed.objects.create(
        client=client, title="Ski week", next_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    item = ChecklistItem.objects.create(service_request=service_request, text="Call the chef")
    use = VendorUse.objects.create(service_request=service_request, vendor=vendor)
    absence = Absence.objects.create(
        user=concierge,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=3),
    )
    return {
        "concierge": concierge,
        "absence": absence,
        "client": client,
        "request": service_request,
        "vendor": vendor,
        "reminder": reminder,
        "notification": notification,
        "parts": parts,
        "need": need,
        "item": item,
        "use": use,
        "note": note,
    }


def url_for(name: str, route: str, world) -> str:
    """The route with the world's ids in it, chosen by the URL's namespace and its parameters."""
    namespace = name.split(":")[0] if ":" in name else ""
    pk = {
        "clients": world["client"].pk,
        "requests": world["vendor"].pk if "vendor-edit" in name else world["request"].pk,
        "": world["notification"].pk if "notification" in name else world["reminder"].pk,
    }[namespace]
    # The staff side's URLs about a client, a team member or an absence.
    pk = {
        "client-assign": world["client"].pk,
        "handover": world["client"].pk,
        "client-access": world["client"].pk,
        "member-access": world["concierge"].pk,
        "member-reminders": world["concierge"].pk,
        "absence-end": world["absence"].pk,
        "team-unlock": world["concierge"].pk,
    }.get(name, pk)
    values = {
        "<int:pk>": pk,
        "<int:need_pk>": world["need"].pk,
        "<int:item_pk>": world["item"].pk,
        "<int:use_pk>": world["use"].pk,
        "<slug:section>": "contacts",
        "<int:part_pk>": world["parts"]["contacts"].pk,
        "<str:token>": "x",
        "<int:note_pk>": world["note"].pk,
    }
    if name == "clients:preference-confirm":
        values["<int:part_pk>"] = world["parts"]["preferences"].pk
    for placeholder, value in values.items():
        route = route.replace(placeholder, str(value))
    assert "<" not in route, f"{name}: no value for {route}"
    return "/" + route


def is_fragment(response) -> bool:
    if response.status_code in (301, 302, 303, 400, 404, 405):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    return "<html" not in response.content.decode()[:500].lower()


PAGES = [(n, r) for n, r in ROUTES if n.split(":")[-1] not in NOT_PAGES and ":" not in n[:0]]
PAGES = [(n, r) for n, r in PAGES if not n.startswith("password_")]


@pytest.mark.parametrize(("name", "route"), PAGES)
def test_a_plain_get_answers_a_whole_page_or_a_redirect(concierge_client, world, name, route):
    response = concierge_client.get(url_for(name, route, world))
    assert response.status_code < 500
    assert not is_fragment(response), f"GET {name} answered a fragment"


@pytest.mark.parametrize(("name", "route"), PAGES)
def test_a_plain_post_answers_a_whole_page_or_a_redirect(concierge_client, world, name, route):
    response = concierge_client.post(url_for(name, route, world), {})
    assert response.status_code < 500
    assert not is_fragment(response), f"POST {name} answered a fragment"


def test_the_walk_covers_the_apps_urls():
    names = {name for name, _ in walk(get_resolver().url_patterns)}
    assert {"clients:identity-edit", "clients:part-edit", "requests:checklist-toggle"} <= names

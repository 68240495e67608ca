"""Every client URL, page or fragment, is a 404 for a concierge who does not look after the client,
and works for the manager of the team. Adding a URL to clients/urls.py without listing it here fails."""

import datetime

import pytest
from django.core.files.base import ContentFile

from clients import urls
from clients.models import AnticipatedNeed, VoiceNote
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    PreferenceFactory,
    RelationFactory,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def record(concierge):
    client = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    other = ClientFactory(
        first_name="Charles-Henri", last_name="de La Rochefoucauld", primary_concierge=concierge
    )
    need = AnticipatedNeed.objects.create(
        client=client, title="Ski trip", next_on=datetime.date(2027, 2, 10), lead_days=21
    )
    client.photo.save("eloise.gif", ContentFile(b"GIF89a-photo"), save=True)
    note = VoiceNote(
        client=client, mime_type="audio/wav", duration=1, size=4, recorded_by=concierge
    )
    note.audio.save("note.wav", ContentFile(b"RIFF"), save=True)
    return {
        "pk": client.pk,
        "voice": note.pk,
        "other": other.pk,
        "contacts": ContactPointFactory(client=client).pk,
        "household": RelationFactory(client=client).pk,
        "dates": ImportantDateFactory(client=client).pk,
        "preferences": PreferenceFactory(client=client).pk,
        "need": need.pk,
    }


def client_urls(r):
    """(method, url) for every route of clients/urls.py that names a client."""
    urls = [
        ("get", f"/clients/{r['pk']}/"),
        ("get", f"/clients/{r['pk']}/identity/"),
        ("post", f"/clients/{r['pk']}/identity/"),
        ("get", f"/clients/{r['pk']}/timeline/"),
        ("get", f"/clients/{r['pk']}/history/"),
        ("post", f"/clients/{r['pk']}/interactions/new/"),
        ("get", f"/clients/{r['pk']}/capture/"),
        ("post", f"/clients/{r['pk']}/notes/new/"),
        ("get", f"/clients/{r['pk']}/export/"),
        ("get", f"/clients/{r['pk']}/erase/"),
        ("post", f"/clients/{r['pk']}/erase/"),
        ("get", f"/clients/{r['pk']}/merge/"),
        ("get", f"/clients/{r['pk']}/merge/?other={r['other']}"),
        ("post", f"/clients/{r['pk']}/merge/"),
        ("post", f"/clients/{r['other']}/merge/?other={r['pk']}"),
        ("get", f"/clients/{r['pk']}/needs/new/"),
        ("post", f"/clients/{r['pk']}/needs/new/"),
        ("get", f"/clients/{r['pk']}/needs/{r['need']}/"),
        ("post", f"/clients/{r['pk']}/needs/{r['need']}/"),
        ("post", f"/clients/{r['pk']}/needs/{r['need']}/delete/"),
        ("post", f"/clients/{r['pk']}/needs/{r['need']}/accept/"),
        ("post", f"/clients/{r['pk']}/needs/{r['need']}/reject/"),
        ("post", f"/clients/{r['pk']}/preferences/{r['preferences']}/confirm/"),
        ("get", f"/clients/{r['pk']}/photo/"),
        ("post", f"/clients/{r['pk']}/voice/"),
        ("get", f"/clients/{r['pk']}/voice/{r['voice']}/audio/"),
        ("get", f"/clients/{r['pk']}/voice/{r['voice']}/transcript/"),
        ("get", f"/clients/{r['pk']}/voice/{r['voice']}/transcript/edit/"),
        ("post", f"/clients/{r['pk']}/voice/{r['voice']}/transcript/edit/"),
        ("post", f"/clients/{r['pk']}/voice/{r['voice']}/retry/"),
        ("post", f"/clients/{r['pk']}/voice/{r['voice']}/delete/"),
    ]
    for section in ("contacts", "household", "dates", "preferences"):
        urls += [
            ("get", f"/clients/{r['pk']}/{section}/new/"),
            ("post", f"/clients/{r['pk']}/{section}/new/"),
            ("get", f"/clients/{r['pk']}/{section}/{r[section]}/"),
            ("post", f"/clients/{r['pk']}/{section}/{r[section]}/"),
            ("post", f"/clients/{r['pk']}/{section}/{r[section]}/delete/"),
        ]
    return urls


def test_every_client_route_is_covered_here():
    patterns = {str(p.pattern) for p in urls.urlpatterns if "<int:pk>" in str(p.pattern)}
    covered = {
        "<int:pk>/",
        "<int:pk>/identity/",
        "<int:pk>/timeline/",
        "<int:pk>/history/",
        "<int:pk>/interactions/new/",
        "<int:pk>/capture/",
        "<int:pk>/notes/new/",
        "<int:pk>/<slug:section>/new/",
        "<int:pk>/<slug:section>/<int:part_pk>/",
        "<int:pk>/<slug:section>/<int:part_pk>/delete/",
        "<int:pk>/preferences/<int:part_pk>/confirm/",
        "<int:pk>/export/",
        "<int:pk>/erase/",
        "<int:pk>/merge/",
        "<int:pk>/needs/new/",
        "<int:pk>/needs/<int:need_pk>/",
        "<int:pk>/needs/<int:need_pk>/delete/",
        "<int:pk>/needs/<int:need_pk>/accept/",
        "<int:pk>/needs/<int:need_pk>/reject/",
        "<int:pk>/photo/",
        "<int:pk>/voice/",
        "<int:pk>/voice/<int:note_pk>/audio/",
        "<int:pk>/voice/<int:note_pk>/transcript/",
        "<int:pk>/voice/<int:note_pk>/transcript/edit/",
        "<int:pk>/voice/<int:note_pk>/retry/",
        "<int:pk>/voice/<int:note_pk>/delete/",
    }
    assert patterns <= covered, f"add these to client_urls(): {patterns - covered}"


@pytest.mark.parametrize("who", ["outsider", "colleague", "outside_manager"])
def test_anyone_who_does_not_look_after_the_client_gets_404_everywhere(
    client, record, request, who
):
    client.force_login(request.getfixturevalue(who))
    for method, url in client_urls(record):
        response = getattr(client, method)(url, {"confirm": "d'Harcourt"}, headers=HTMX)
        assert response.status_code == 404, f"{who} {method.upper()} {url} → {response.status_code}"


def test_the_teams_manager_can_open_every_page_and_fragment(client, manager, record):
    client.force_login(manager)
    for method, url in client_urls(record):
        if method == "get":
            response = client.get(url, headers=HTMX)
            assert response.status_code == 200, f"GET {url} → {response.status_code}"

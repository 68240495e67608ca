"""Recordings and photos are private: served by a view that checks access, with byte ranges."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from clients.models import VoiceNote
from tests.audio import tone
from tests.factories import ClientFactory


@pytest.fixture
def eloise(concierge):
    client = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    client.photo.save("eloise.gif", ContentFile(b"GIF89a" + bytes(range(40))), save=True)
    return client


@pytest.fixture
def note(eloise, concierge):
    note = VoiceNote(
        client=eloise, mime_type="audio/ogg", duration=1.0, size=0, recorded_by=concierge
    )
    note.audio.save("note.ogg", ContentFile(tone("ogg")), save=False)
    note.size = note.audio.size
    note.save()
    return note


def audio_url(note):
    return reverse("clients:voice-audio", args=[note.client_id, note.pk])


def photo_url(client):
    return reverse("clients:photo", args=[client.pk])


def test_the_owner_gets_the_whole_recording_privately(concierge_client, note):
    response = concierge_client.get(audio_url(note))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == note.audio.open("rb").read()
    assert response["Content-Type"] == "audio/ogg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(note.size)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_range_request_gets_206_with_exactly_those_bytes(concierge_client, note):
    content = note.audio.open("rb").read()
    response = concierge_client.get(audio_url(note), headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert response["Content-Length"] == "100"
    assert b"".join(response.streaming_content) == content[100:200]


def test_open_ended_and_suffix_ranges(concierge_client, note):
    content = note.audio.open("rb").read()
    tail = concierge_client.get(audio_url(note), headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == content[-10:]
    # Safari first asks for two bytes, then from an offset to the end.
    rest = concierge_client.get(audio_url(note), headers={"Range": f"bytes={len(content) - 5}-"})
    assert b"".join(rest.streaming_content) == content[-5:]
    first = concierge_client.get(audio_url(note), headers={"Range": "bytes=0-1"})
    assert first["Content-Range"] == f"bytes 0-1/{len(content)}"


def test_a_range_past_the_end_is_416(concierge_client, note):
    response = concierge_client.get(audio_url(note), headers={"Range": "bytes=999999-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{note.size}"


def test_the_photo_is_served_to_the_owner(concierge_client, eloise):
    response = concierge_client.get(photo_url(eloise))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"GIF89a")
    assert response["Cache-Control"] == "private, no-store"
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    assert eloise.photo_url in page and "/media/" not in page


@pytest.mark.parametrize("who", ["colleague", "outsider", "outside_manager"])
def test_another_concierge_gets_404_for_the_recording_and_the_photo(
    client, request, who, note, eloise
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(audio_url(note)).status_code == 404
    assert client.get(audio_url(note), headers={"Range": "bytes=0-1"}).status_code == 404
    assert client.get(photo_url(eloise)).status_code == 404


def test_the_manager_of_the_team_may_listen(manager_client, note):
    assert manager_client.get(audio_url(note)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, note, eloise):
    for url in (audio_url(note), photo_url(eloise)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_note_through_another_clients_url_is_404(concierge_client, note, concierge):
    mine_too = ClientFactory(primary_concierge=concierge)
    url = reverse("clients:voice-audio", args=[mine_too.pk, note.pk])
    assert concierge_client.get(url).status_code == 404


def test_no_photo_or_a_file_missing_from_storage_is_404_not_an_error(concierge_client, note):
    bare = ClientFactory(primary_concierge=note.recorded_by)
    assert concierge_client.get(photo_url(bare)).status_code == 404
    note.audio.storage.delete(note.audio.name)
    assert concierge_client.get(audio_url(note)).status_code == 404


def test_no_public_media_url_even_in_development(settings):
    import importlib

    import concierge.urls

    settings.DEBUG = True
    try:
        patterns = [str(p.pattern) for p in importlib.reload(concierge.urls).urlpatterns]
    finally:
        settings.DEBUG = False
        importlib.reload(concierge.urls)
    assert not [p for p in patterns if "media" in p]


def test_private_files_have_no_public_url(eloise):
    with pytest.raises(NotImplementedError):
        eloise.photo.url  # noqa: B018

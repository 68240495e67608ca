"""A voice note recorded about a request: kept for its client, listed on the request's page, and on
the client's timeline with a link to the request. Only the request's own client, only for those who
may see it; anything refused leaves nothing behind (no row, no file, no link)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import VoiceNote
from clients.voice import voice_note_create
from requests.models import RequestVoiceNote, Status
from requests.voice import service_request_voice_note_link
from tests.audio import tone
from tests.clients.conftest import stored_files
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory

XHR = {"X-Requested-With": "XMLHttpRequest"}
pytestmark = pytest.mark.usefixtures("no_transcription")


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


@pytest.fixture
def dinner(eloise):
    return ServiceRequestFactory(
        client=eloise, title="Table for four at Le Cinq", status=Status.IN_PROGRESS
    )


def record(http, service_request, content=None, headers=XHR, **data):
    return http.post(
        reverse("requests:voice-upload", args=[service_request.pk]),
        {
            "audio": SimpleUploadedFile("r.ogg", content or tone("ogg", seconds=3.2), "audio/ogg"),
            "language": "en",
            **data,
        },
        headers=headers,
    )


def test_a_note_recorded_on_a_request_is_listed_there_and_on_the_timeline_with_a_link(
    concierge_client, dinner, eloise, concierge, private_root
):
    response = record(concierge_client, dinner)

    assert response.status_code == 201, response.content
    note = VoiceNote.objects.get()
    assert (note.client, note.recorded_by, note.duration) == (
        eloise,
        concierge,
        pytest.approx(3.2, abs=0.15),
    )
    assert list(dinner.voice_notes.all()) == [note]
    assert stored_files(private_root) == [note.audio.name]
    # The answer is the request's list of notes, ready to play.
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<section class="card section" id="request-voice">')
    assert reverse("clients:voice-audio", args=[eloise.pk, note.pk]) in fragment

    page = concierge_client.get(reverse("requests:detail", args=[dinner.pk])).content.decode()
    assert f'id="voice-note-{note.pk}"' in page and "0:03" in page and "Camille Laurent" in page
    assert "Type the transcript" in page  # its transcript state
    # The request's own recorder posts here, not to the profile.
    assert f'data-upload-url="{reverse("requests:voice-upload", args=[dinner.pk])}"' in page

    timeline = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    entry = timeline[timeline.index(f'id="voice-note-{note.pk}"') :]
    assert f'About <a href="{reverse("requests:detail", args=[dinner.pk])}">' in entry[:2000]
    assert "Table for four at Le Cinq" in entry[:2000]


def test_another_concierges_request_is_a_404_and_nothing_is_stored(
    client, outsider, dinner, private_root
):
    client.force_login(outsider)
    assert record(client, dinner).status_code == 404
    assert not VoiceNote.objects.exists() and not RequestVoiceNote.objects.exists()
    assert stored_files(private_root) == []


def test_a_note_cannot_be_about_a_request_of_another_client(concierge, dinner, private_root):
    other = ClientFactory(primary_concierge=concierge)
    note = voice_note_create(
        client=other, by=concierge, upload=SimpleUploadedFile("n.ogg", tone("ogg")), language="en"
    )
    with pytest.raises(ValidationError, match="another client"):
        service_request_voice_note_link(service_request=dinner, note=note)
    assert not RequestVoiceNote.objects.exists()


def test_a_note_is_about_one_request_at_most(concierge, dinner, eloise):
    note = voice_note_create(
        client=eloise, by=concierge, upload=SimpleUploadedFile("n.ogg", tone("ogg")), language="en"
    )
    service_request_voice_note_link(service_request=dinner, note=note)
    second = ServiceRequestFactory(client=eloise)
    with pytest.raises(ValidationError, match="already about another request"):
        service_request_voice_note_link(service_request=second, note=note)
    assert list(RequestVoiceNote.objects.values_list("service_request", flat=True)) == [dinner.pk]


def test_a_call_of_another_client_is_refused_with_a_message_and_nothing_is_stored(
    concierge_client, concierge, dinner, private_root
):
    elsewhere = InteractionFactory(client=ClientFactory(primary_concierge=concierge))
    response = record(concierge_client, dinner, interaction=elsewhere.pk)

    assert response.status_code == 400
    assert "not on this client's timeline" in response.content.decode()
    assert not VoiceNote.objects.exists() and not RequestVoiceNote.objects.exists()
    assert stored_files(private_root) == []


def test_what_is_not_a_recording_is_refused_and_nothing_is_stored(
    concierge_client, dinner, private_root
):
    response = record(concierge_client, dinner, content=b"just some text, not a recording")

    assert response.status_code == 400 and response.content
    assert not VoiceNote.objects.exists() and not RequestVoiceNote.objects.exists()
    assert stored_files(private_root) == []


def test_a_closed_request_gets_no_new_note(concierge_client, dinner, private_root):
    dinner.status = Status.CLOSED
    dinner.save()
    response = record(concierge_client, dinner)

    assert response.status_code == 400 and "reopen it" in response.content.decode()
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []


def test_a_link_that_fails_leaves_neither_the_note_nor_its_file(
    concierge_client, concierge, dinner, eloise, private_root
):
    # The same recording (capture key) already kept about another request: refused as a whole.
    key = "0b8c3f4e-4a39-4c55-9a3b-2f0f3f9f6a11"
    first = ServiceRequestFactory(client=eloise, status=Status.IN_PROGRESS)
    assert record(concierge_client, first, capture_key=key).status_code == 201
    kept = stored_files(private_root)
    response = record(concierge_client, dinner, capture_key=key)

    assert response.status_code == 400 and "another request" in response.content.decode()
    assert VoiceNote.objects.count() == 1 and stored_files(private_root) == kept
    assert list(RequestVoiceNote.objects.values_list("service_request", flat=True)) == [first.pk]


def test_a_resent_recording_is_kept_once(concierge_client, dinner):
    key = "6f1d2c1e-7a1c-4f53-9d8e-0b5b3c9b1d2a"
    assert record(concierge_client, dinner, capture_key=key).status_code == 201
    assert record(concierge_client, dinner, capture_key=key).status_code == 200
    assert VoiceNote.objects.count() == 1 and RequestVoiceNote.objects.count() == 1


def test_without_javascript_the_form_posts_and_comes_back_to_the_request(concierge_client, dinner):
    response = record(concierge_client, dinner, headers={})
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[dinner.pk])
    assert dinner.voice_notes.count() == 1
    refused = record(concierge_client, dinner, content=b"text", headers={})
    assert refused.status_code == 302 and dinner.voice_notes.count() == 1


def test_a_note_about_a_call_on_the_request_page_is_kept_under_that_call(
    concierge_client, dinner, eloise
):
    call = InteractionFactory(
        client=eloise, occurred_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    )
    assert record(concierge_client, dinner, interaction=call.pk).status_code == 201
    note = VoiceNote.objects.get()
    assert note.interaction == call and list(dinner.voice_notes.all()) == [note]

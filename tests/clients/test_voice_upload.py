"""Uploading a recording: each accepted type is kept with its duration; anything else leaves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import VoiceNote
from tests.audio import FORMATS, tone
from tests.clients.conftest import stored_files
from tests.factories import ClientFactory

XHR = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_BACKEND = "none"


def upload(http, client, name, content, content_type="audio/webm", **data):
    return http.post(
        reverse("clients:voice-upload", args=[client.pk]),
        {
            "audio": SimpleUploadedFile(name, content, content_type=content_type),
            "purpose": "note",
            "language": "en",
            **data,
        },
        headers=XHR,
    )


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_each_accepted_type_is_kept_with_its_duration(
    concierge_client, eloise, concierge, private_root, extension
):
    response = upload(concierge_client, eloise, f"note.{extension}", tone(extension, seconds=1.5))

    assert response.status_code == 201, response.content
    note = VoiceNote.objects.get()
    assert (note.client, note.recorded_by, note.purpose) == (eloise, concierge, "note")
    assert note.duration == pytest.approx(1.5, abs=0.15)
    assert note.mime_type.startswith("audio/")
    assert note.audio.name.endswith(f".{extension}") and "note." not in note.audio.name
    assert stored_files(private_root) == [note.audio.name]
    assert note.size == (private_root / note.audio.name).stat().st_size
    # The answer is the timeline with the note in it, ready to play.
    assert b'id="timeline"' in response.content
    assert reverse("clients:voice-audio", args=[eloise.pk, note.pk]).encode() in response.content


def test_the_type_is_read_from_the_content_not_the_name(concierge_client, eloise, private_root):
    response = upload(
        concierge_client, eloise, "sneaky.txt", tone("ogg"), content_type="text/plain"
    )
    assert response.status_code == 201
    assert VoiceNote.objects.get().audio.name.endswith(".ogg")


def test_chrome_webm_is_stored_with_a_duration_players_can_read(
    concierge_client, eloise, private_root
):
    import av

    upload(concierge_client, eloise, "chrome.webm", tone("webm", seconds=2))
    with av.open(str(private_root / VoiceNote.objects.get().audio.name)) as stored:
        assert stored.duration and stored.duration / av.time_base == pytest.approx(2, abs=0.15)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.webm", b"Call back on Tuesday about the villa.\n" * 50, "not a recording"),
        ("empty.webm", b"", "empty"),
        ("cut.webm", tone("webm")[:200], "could not be read"),
        ("photo.webm", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(400), "not a recording"),
    ],
    ids=["text-renamed-webm", "empty", "truncated", "png-renamed-webm"],
)
def test_what_is_not_a_recording_is_refused_and_nothing_is_stored(
    concierge_client, eloise, private_root, name, content, message
):
    response = upload(concierge_client, eloise, name, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VoiceNote.objects.exists()
    assert stored_files(private_root) == []


def test_a_file_over_the_size_cap_is_refused(concierge_client, eloise, private_root, settings):
    settings.VOICE_NOTE_MAX_BYTES = 4000
    response = upload(concierge_client, eloise, "long.wav", tone("wav", seconds=1))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []


def test_a_recording_over_the_duration_cap_is_refused(
    concierge_client, eloise, private_root, settings
):
    settings.VOICE_NOTE_MAX_SECONDS = 2
    response = upload(concierge_client, eloise, "long.mp3", tone("mp3", seconds=4))
    assert response.status_code == 400
    assert "longer than" in response.content.decode()
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []


def test_refusal_is_in_french_for_a_french_speaker(concierge_client, eloise, private_root):
    response = concierge_client.post(
        reverse("clients:voice-upload", args=[eloise.pk]),
        {
            "audio": SimpleUploadedFile("x.webm", b"hello" * 100),
            "purpose": "note",
            "language": "fr",
        },
        headers={**XHR, "Accept-Language": "fr"},
    )
    assert response.status_code == 400
    assert "enregistrement" in response.content.decode()


def test_without_javascript_the_form_posts_and_comes_back_to_the_profile(
    concierge_client, eloise, private_root
):
    response = concierge_client.post(
        reverse("clients:voice-upload", args=[eloise.pk]),
        {"audio": SimpleUploadedFile("a.m4a", tone("m4a")), "purpose": "note", "language": "en"},
    )
    assert response.status_code == 302 and response.url == reverse(
        "clients:detail", args=[eloise.pk]
    )
    assert VoiceNote.objects.count() == 1


def test_another_concierge_cannot_upload_to_a_client_they_do_not_see(
    client, colleague, eloise, private_root
):
    client.force_login(colleague)
    response = upload(client, eloise, "a.wav", tone("wav"))
    assert response.status_code == 404
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []


def test_a_pronunciation_clip_replaces_the_previous_one_and_plays_from_the_header(
    concierge_client, eloise, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(concierge_client, eloise, "a.webm", tone("webm"), purpose="pronunciation")
    first = VoiceNote.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(concierge_client, eloise, "b.webm", tone("webm"), purpose="pronunciation")

    second = VoiceNote.objects.get()
    assert second.pk != first.pk and second.transcript_status == "none"
    assert stored_files(private_root) == [second.audio.name]
    # The answer is the header, with a play button beside the name.
    assert b'id="header"' in response.content and b"data-play-audio" in response.content
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    assert reverse("clients:voice-audio", args=[eloise.pk, second.pk]) in page
    # A clip of the name is not a note: not on the timeline.
    assert 'id="voice-note-' not in page

"""A voice note on the profile: timeline entry, transcript corrected in place (with a version check and
in the history), deletion with its file, erasure and export of all the audio."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client, VoiceNote
from clients.search import search_clients
from clients.voice import voice_note_create
from tests.audio import tone
from tests.clients.conftest import stored_files
from tests.factories import ClientFactory, InteractionFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_BACKEND = "none"


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


@pytest.fixture
def note(eloise, concierge):
    return voice_note_create(
        client=eloise,
        by=concierge,
        upload=SimpleUploadedFile("n.ogg", tone("ogg", seconds=12.4)),
        language="en",
    )


def edit_url(note):
    return reverse("clients:voice-transcript-edit", args=[note.client_id, note.pk])


def test_the_note_is_on_the_timeline_with_duration_author_time_player_and_state(
    concierge_client, eloise, note
):
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    assert f'id="voice-note-{note.pk}"' in page
    assert "0:12" in page and "Camille Laurent" in page
    audio = reverse("clients:voice-audio", args=[eloise.pk, note.pk])
    assert f'<audio class="voice-audio" controls preload="metadata" src="{audio}">' in page
    assert "Type the transcript" in page  # no engine here: waiting for a person
    # The recorder is on the page, wired by data attributes, with the script as a file.
    assert "data-recorder" in page and "recorder.js" in page and "<script>" not in page


def test_the_timeline_mixes_notes_and_interactions_newest_first(concierge_client, eloise, note):
    import datetime

    InteractionFactory(client=eloise, occurred_at=note.recorded_at - datetime.timedelta(hours=1))
    later = InteractionFactory(
        client=eloise, occurred_at=note.recorded_at + datetime.timedelta(hours=1)
    )
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    assert page.index(later.summary) < page.index(f'id="voice-note-{note.pk}"')


def test_a_transcript_is_corrected_in_place_and_the_correction_is_in_the_history(
    concierge_client, eloise, note, concierge
):
    form = concierge_client.get(edit_url(note), headers=HTMX).content.decode()
    assert 'name="transcript"' in form and f'value="{note.version}"' in form

    response = concierge_client.post(
        edit_url(note),
        {"transcript": "She wants the corner table at Le Cinq.", "version": note.version},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "corner table" in response.content.decode()
    note.refresh_from_db()
    assert note.transcript_status == "done" and note.version == 2
    latest = note.history.first()
    assert latest.transcript == "She wants the corner table at Le Cinq."
    assert latest.history_user == concierge
    changes = concierge_client.get(
        reverse("clients:history", args=[eloise.pk]), headers=HTMX
    ).content.decode()
    assert "corner table" in changes and "Voice note" in changes
    assert search_clients(Client.objects.all(), "corner table").get() == eloise


def test_a_stale_correction_is_a_conflict_and_keeps_the_first_one(concierge_client, note):
    opened_at = note.version
    concierge_client.post(
        edit_url(note), {"transcript": "First", "version": opened_at}, headers=HTMX
    )
    response = concierge_client.post(
        edit_url(note), {"transcript": "Second", "version": opened_at}, headers=HTMX
    )
    assert "Edit conflict" in response.content.decode()
    assert "First" in response.content.decode()
    note.refresh_from_db()
    assert note.transcript == "First"


def test_deleting_a_note_removes_its_file_once_committed(
    concierge_client, eloise, note, private_root, django_capture_on_commit_callbacks
):
    assert stored_files(private_root) == [note.audio.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = concierge_client.post(
            reverse("clients:voice-delete", args=[eloise.pk, note.pk]), headers=HTMX
        )
    assert response.status_code == 200
    assert not VoiceNote.objects.exists()
    assert stored_files(private_root) == []


def test_a_colleague_cannot_correct_or_delete(client, colleague, note):
    client.force_login(colleague)
    assert client.post(edit_url(note), {"transcript": "x", "version": 1}).status_code == 404
    delete = reverse("clients:voice-delete", args=[note.client_id, note.pk])
    assert client.post(delete).status_code == 404
    note.refresh_from_db()
    assert note.transcript == ""


def test_erasing_the_client_removes_all_their_audio(
    concierge_client, eloise, note, concierge, private_root, django_capture_on_commit_callbacks
):
    voice_note_create(
        client=eloise,
        by=concierge,
        upload=SimpleUploadedFile("p.webm", tone("webm")),
        purpose="pronunciation",
    )
    other = ClientFactory(primary_concierge=concierge)
    kept = voice_note_create(
        client=other, by=concierge, upload=SimpleUploadedFile("o.mp3", tone("mp3"))
    )
    assert len(stored_files(private_root)) == 3
    summary = concierge_client.get(reverse("clients:erase", args=[eloise.pk])).content.decode()
    assert "2</b> voice notes" in summary

    with django_capture_on_commit_callbacks(execute=True):
        concierge_client.post(
            reverse("clients:erase", args=[eloise.pk]),
            {"confirmation": "d'Harcourt", "reason": "Asked"},
        )
    assert stored_files(private_root) == [kept.audio.name]
    assert not VoiceNote.history.filter(client_id=eloise.pk).exists()


def test_the_export_holds_the_audio_and_the_transcripts(concierge_client, eloise, note, concierge):
    from clients.voice import voice_note_correct

    voice_note_correct(note=note, by=concierge, transcript="Loves Krug", version=note.version)
    response = concierge_client.get(reverse("clients:export", args=[eloise.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("client.json"))

    [exported] = data["other_records"]["voice_notes"]
    assert exported["transcript"] == "Loves Krug" and exported["duration"] == pytest.approx(
        12.4, 0.02
    )
    assert archive.read(f"media/{note.audio.name}") == note.audio.open("rb").read()
    assert any(e["record"] == "voicenote" for e in data["history"])

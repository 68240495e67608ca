"""Transcription: a Celery task behind a backend interface; visible state; retries; English by the
bundled engine, French by hand; transcripts are searched. One test runs a real worker."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client, VoiceNote
from clients.search import search_clients
from clients.tasks import retry_stalled_transcriptions_task, transcribe_voice_note_task
from clients.transcription import Transcript, TranscriptionFailed, get_backend
from clients.voice import voice_note_create, voice_note_transcribe
from tests.audio import speech_wav, tone
from tests.conftest import wait_for
from tests.factories import ClientFactory

Status = VoiceNote.TranscriptStatus


class FailingBackend:
    calls = 0
    failures = 99

    def languages(self):
        return {"en"}

    def transcribe(self, path, *, language):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise TranscriptionFailed("engine busy")
        return Transcript(text="Oysters on Friday", language=language)


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


@pytest.fixture(scope="session")
def speech(tmp_path_factory):
    return speech_wav(tmp_path_factory.mktemp("speech") / "speech.wav")


@pytest.fixture
def failing(settings):
    settings.TRANSCRIPTION_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.calls, FailingBackend.failures = 0, 99
    return FailingBackend


def record(client, by, content, *, name="note.wav", language="en", capture=None):
    upload = SimpleUploadedFile(name, content)
    if capture is None:
        return voice_note_create(client=client, by=by, upload=upload, language=language)
    with capture() as callbacks:
        note = voice_note_create(client=client, by=by, upload=upload, language=language)
    return note, callbacks


def test_the_bundled_engine_transcribes_spoken_english(eloise, concierge, speech):
    note = record(eloise, concierge, speech.read_bytes())
    assert note.transcript_status == Status.PENDING

    assert voice_note_transcribe(voice_note_id=note.pk) is True

    note.refresh_from_db()
    assert note.transcript_status == Status.DONE
    words = note.transcript.lower()
    assert "lighthouse" in words and "restaurant" in words and "thursday" in words
    assert search_clients(Client.objects.all(), "lighthouse").get() == eloise


def test_the_engine_runs_with_our_requests_package_and_downloads_nothing(speech):
    import sys
    from pathlib import Path

    backend = get_backend()
    backend.transcribe(speech, language="en")
    assert Path(sys.modules["requests"].__file__).parent.name == "requests"
    assert Path(sys.modules["requests"].__file__).parent.parent == Path(__file__).parents[2]
    assert "faster_whisper" in sys.modules and backend.model_path.is_dir()


def test_recording_enqueues_the_transcription_once_committed(
    eloise, concierge, django_capture_on_commit_callbacks
):
    note, callbacks = record(
        eloise, concierge, tone("wav"), capture=django_capture_on_commit_callbacks
    )
    assert len(callbacks) == 1 and note.transcript_status == Status.PENDING


def test_a_french_recording_waits_for_a_manual_transcript_and_enqueues_nothing(
    eloise, concierge, django_capture_on_commit_callbacks
):
    note, callbacks = record(
        eloise, concierge, tone("wav"), language="fr", capture=django_capture_on_commit_callbacks
    )
    assert callbacks == []
    assert (note.transcript_status, note.transcript_language) == (Status.MANUAL, "fr")


def test_with_no_engine_configured_every_note_waits_for_a_person(eloise, concierge, settings):
    settings.TRANSCRIPTION_BACKEND = "none"
    assert record(eloise, concierge, tone("wav")).transcript_status == Status.MANUAL


def test_a_failing_engine_is_retried_with_backoff_then_marked_failed(eloise, concierge, failing):
    note = record(eloise, concierge, tone("wav"))

    transcribe_voice_note_task.apply(args=[note.pk])  # eager: each retry runs at once

    note.refresh_from_db()
    retries = transcribe_voice_note_task.max_retries
    assert failing.calls == retries + 1
    assert note.transcript_status == Status.FAILED
    assert note.transcript_attempts == retries + 1
    assert note.transcript_error == "engine busy"


def test_a_passing_failure_shows_retrying_then_the_transcript_arrives(
    eloise, concierge, failing, concierge_client
):
    failing.failures = 1
    note = record(eloise, concierge, tone("wav"))
    with pytest.raises(TranscriptionFailed):
        voice_note_transcribe(voice_note_id=note.pk)
    from clients.voice import voice_note_transcription_failed

    voice_note_transcription_failed(voice_note_id=note.pk, error="engine busy", final=False)
    fragment = concierge_client.get(
        reverse("clients:voice-transcript", args=[eloise.pk, note.pk]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "trying again" in fragment and 'hx-trigger="every 3s"' in fragment

    transcribe_voice_note_task.apply(args=[note.pk])
    note.refresh_from_db()
    assert (note.transcript_status, note.transcript) == (Status.DONE, "Oysters on Friday")
    fragment = concierge_client.get(
        reverse("clients:voice-transcript", args=[eloise.pk, note.pk]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Oysters on Friday" in fragment and "every 3s" not in fragment


def test_a_failed_note_can_be_tried_again_from_the_timeline(
    eloise, concierge, failing, concierge_client, django_capture_on_commit_callbacks
):
    note = record(eloise, concierge, tone("wav"))
    transcribe_voice_note_task.apply(args=[note.pk])
    failing.failures = 0
    with django_capture_on_commit_callbacks() as callbacks:
        concierge_client.post(
            reverse("clients:voice-retry", args=[eloise.pk, note.pk]),
            headers={"HX-Request": "true"},
        )
    note.refresh_from_db()
    assert note.transcript_status == Status.PENDING and len(callbacks) == 1


def test_the_task_is_idempotent_and_never_overwrites_a_persons_transcript(
    eloise, concierge, failing
):
    failing.failures = 0
    note = record(eloise, concierge, tone("wav"))
    from clients.voice import voice_note_correct

    voice_note_correct(note=note, by=concierge, transcript="Typed by hand", version=note.version)
    assert transcribe_voice_note_task.apply(args=[note.pk]).get() is False
    assert transcribe_voice_note_task.apply(args=[987654]).get() is False
    note.refresh_from_db()
    assert note.transcript == "Typed by hand" and failing.calls == 0


def test_stalled_transcriptions_are_sent_again(eloise, concierge, failing):
    import datetime

    from django.utils import timezone

    failing.failures = 0
    note = record(eloise, concierge, tone("wav"))
    assert retry_stalled_transcriptions_task.apply().get() == 0  # recent: its task is on its way
    VoiceNote.objects.filter(pk=note.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(hours=1)
    )
    from unittest import mock

    with mock.patch.object(transcribe_voice_note_task, "apply_async") as send:
        assert retry_stalled_transcriptions_task.apply().get() == 1
    send.assert_called_once()
    assert send.call_args.kwargs["args"] == [note.pk]


def test_a_real_worker_transcribes_spoken_english_and_the_client_is_found_by_a_word_said(
    celery_worker_process, concierge, client, speech, private_root, settings
):
    settings.TRANSCRIPTION_QUEUE = celery_worker_process.queue
    celery_worker_process.env_extra["PRIVATE_ROOT"] = str(private_root)
    celery_worker_process.start()
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Anne", last_name="Moreau", primary_concierge=concierge)
    client.force_login(concierge)

    response = client.post(
        reverse("clients:voice-upload", args=[eloise.pk]),
        {"audio": ContentFile(speech.read_bytes(), name="speech.wav"), "language": "en"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 201
    note = VoiceNote.objects.get()

    def transcribed():
        note.refresh_from_db()
        return note.transcript_status not in VoiceNote.WAITING

    assert wait_for(transcribed, timeout=90), "the worker did not transcribe the note in time"
    assert note.transcript_status == Status.DONE, note.transcript_error
    assert "lighthouse" in note.transcript.lower()

    found = client.get(reverse("clients:list"), {"q": "lighthouse"}).content.decode()
    assert "Harcourt" in found and "Moreau" not in found

"""Voice notes: keep a recording, transcribe it in the background, correct it, delete it.

Writes go through these functions (validate, lock, check the version, save, record); files are deleted
only once the transaction that forgot them has committed. Transcripts reach the client's search text
through clients.search_sync, like every other part.
"""

import contextlib
import datetime
import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concierge.common.conflicts import EditConflict, check_version

from .audio import inspect_audio, playable_copy
from .models import Client, Interaction, VoiceNote
from .transcription import TranscriptionFailed, get_backend

logger = logging.getLogger(__name__)
Status = VoiceNote.TranscriptStatus


def _delete_files_on_commit(storage, names) -> None:
    def delete():
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete %s", name)

    if names:
        transaction.on_commit(delete)


def enqueue_transcription(note: VoiceNote) -> None:
    from .tasks import transcribe_voice_note_task

    # robust: with the broker down the note is saved all the same (no 500), and the periodic retry
    # of stalled transcriptions enqueues it later.
    transaction.on_commit(
        lambda: transcribe_voice_note_task.apply_async(
            args=[note.pk], queue=settings.TRANSCRIPTION_QUEUE
        ),
        robust=True,
    )


def _first_status(purpose: str, language: str) -> str:
    if purpose == VoiceNote.Purpose.PRONUNCIATION:
        return Status.NONE
    if language not in get_backend().languages():
        return Status.MANUAL
    return Status.PENDING


def voice_note_create(
    *,
    client: Client,
    by,
    upload,
    purpose: str = VoiceNote.Purpose.NOTE,
    language: str = VoiceNote.Language.ENGLISH,
    interaction: Interaction | None = None,
    capture_key=None,
    recorded_at=None,
) -> VoiceNote:
    """Keep an uploaded recording; raises ValidationError (and stores nothing) if it is not one,
    IntegrityError (and stores nothing) for a capture_key already kept (see clients.capture)."""
    if interaction is not None and interaction.client_id != client.pk:
        raise ValidationError(
            _("This call or meeting is not on this client's timeline: nothing was saved.")
        )
    info = inspect_audio(upload)
    note = VoiceNote(
        client=client,
        interaction=interaction,
        purpose=purpose,
        mime_type=info.mime_type,
        duration=round(info.duration, 2),
        size=info.size,
        recorded_by=by,
        transcript_language=language,
        transcript_status=_first_status(purpose, language),
        capture_key=capture_key,
        recorded_at=recorded_at or timezone.now(),
    )
    with playable_copy(upload, info) as content:
        note.audio.save(f"recording.{info.extension}", File(content), save=False)
    note.size = note.audio.size
    stored = note.audio.name
    try:
        with transaction.atomic():
            note.save()
            if purpose == VoiceNote.Purpose.PRONUNCIATION:
                # One clip says the name: the earlier ones go, with their files.
                earlier = list(
                    VoiceNote.objects.filter(client=client, purpose=purpose).exclude(pk=note.pk)
                )
                _delete_files_on_commit(note.audio.storage, [n.audio.name for n in earlier])
                for old in earlier:
                    old.delete()
            if note.transcript_status == Status.PENDING:
                enqueue_transcription(note)
    except Exception:
        note.audio.storage.delete(stored)
        raise
    return note


@transaction.atomic
def voice_note_correct(*, note: VoiceNote, by, transcript: str, version: int | None) -> VoiceNote:
    """Save a transcript typed or corrected by a person; raises EditConflict on a stale version."""
    locked = VoiceNote.objects.select_for_update().get(pk=note.pk)
    check_version(locked, version)
    locked.transcript = transcript.strip()
    locked.transcript_status = Status.DONE
    locked.transcript_error = ""
    locked.transcript_updated_at = timezone.now()
    locked.version += 1
    locked._history_user = by
    locked.save()
    return locked


@transaction.atomic
def voice_note_delete(*, note: VoiceNote, version: int | None = None) -> None:
    locked = VoiceNote.objects.select_for_update().get(pk=note.pk)
    if version is not None and locked.version != version:
        raise EditConflict(locked)
    _delete_files_on_commit(locked.audio.storage, [locked.audio.name])
    locked.delete()


@transaction.atomic
def voice_note_retry(*, note: VoiceNote) -> VoiceNote:
    """Transcribe again a note whose transcription failed (or that waits for a manual one)."""
    locked = VoiceNote.objects.select_for_update().get(pk=note.pk)
    if locked.transcript_status not in (Status.FAILED, Status.MANUAL):
        return locked
    if locked.transcript_language not in get_backend().languages():
        return locked
    locked.transcript_status = Status.PENDING
    locked.transcript_attempts = 0
    locked.transcript_error = ""
    locked.version += 1
    locked.skip_history_when_saving = True
    locked.save()
    enqueue_transcription(locked)
    return locked


@contextlib.contextmanager
def _local_path(note: VoiceNote):
    """A path on this machine to the recording (a temporary copy when stored remotely)."""
    storage = note.audio.storage
    try:
        yield Path(storage.path(note.audio.name))
        return
    except NotImplementedError:
        pass
    suffix = Path(note.audio.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with storage.open(note.audio.name, "rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def voice_note_transcribe(*, voice_note_id: int) -> bool:
    """Transcribe a waiting note; False if there is nothing to do. Raises TranscriptionFailed.

    The engine runs outside any transaction (seconds of work); the result is written under a lock,
    and only if the note still waits, so a transcript typed meanwhile is never overwritten.
    """
    note = VoiceNote.objects.filter(pk=voice_note_id).first()
    if note is None or not note.is_waiting:
        return False
    backend = get_backend()
    if note.transcript_language not in backend.languages():
        _set_status(voice_note_id, Status.MANUAL)
        return False
    if not note.audio.storage.exists(note.audio.name):
        raise TranscriptionFailed("the recording is missing from storage")
    with _local_path(note) as path:
        result = backend.transcribe(path, language=note.transcript_language)
    with transaction.atomic():
        locked = VoiceNote.objects.select_for_update().filter(pk=voice_note_id).first()
        if locked is None or not locked.is_waiting:
            return False
        locked.transcript = result.text
        locked.transcript_status = Status.DONE
        locked.transcript_error = ""
        locked.transcript_attempts += 1
        locked.transcript_updated_at = timezone.now()
        locked.version += 1
        locked.save()
    return True


def _set_status(voice_note_id: int, status: str, *, error: str = "", attempt: bool = False) -> None:
    with transaction.atomic():
        locked = VoiceNote.objects.select_for_update().filter(pk=voice_note_id).first()
        if locked is None or not locked.is_waiting:
            return
        locked.transcript_status = status
        locked.transcript_error = error[:300]
        locked.transcript_attempts += 1 if attempt else 0
        locked.transcript_updated_at = timezone.now()
        locked.version += 1
        if status not in (Status.FAILED, Status.MANUAL):
            # Only the state moved: the history keeps transcripts and corrections, not retries.
            locked.skip_history_when_saving = True
        locked.save()


def voice_note_transcription_failed(*, voice_note_id: int, error: str, final: bool) -> None:
    _set_status(
        voice_note_id, Status.FAILED if final else Status.RETRYING, error=error, attempt=True
    )


STALLED_AFTER_MINUTES = 15


def stalled_transcriptions(limit: int = 50) -> list[int]:
    """Notes still waiting long after they were recorded or last tried (a lost task, a dead worker)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=STALLED_AFTER_MINUTES)
    waiting = VoiceNote.objects.filter(transcript_status__in=VoiceNote.WAITING)
    stale = waiting.filter(recorded_at__lt=cutoff).exclude(transcript_updated_at__gte=cutoff)
    return list(stale.order_by("recorded_at").values_list("pk", flat=True)[:limit])

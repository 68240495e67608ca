from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str


class TranscriptionFailed(Exception):
    """The engine could not transcribe this time (worth trying again later)."""


class TranscriptionBackend(Protocol):
    def languages(self) -> set[str]:
        """Language codes it transcribes ("en", "fr"…); other recordings get a manual transcript."""
        ...

    def transcribe(self, path: Path, *, language: str) -> Transcript:
        """The words of the recording at `path`; raises TranscriptionFailed."""
        ...


class NoTranscription:
    """No engine: every recording waits for a manual transcript."""

    def languages(self) -> set[str]:
        return set()

    def transcribe(self, path: Path, *, language: str) -> Transcript:
        raise TranscriptionFailed("no transcription engine is configured")

"""Demo voice notes: a short recording made at seed time (no network, no speech engine: a WAV written
with the standard library) and the transcript the concierge typed, so that the tour can find a client
by a word that was said."""

import io
import math
import struct
import wave

from django.core.files.base import ContentFile

from ..models import VoiceNote

RATE = 16_000


def chime_wav(seconds: float = 4.0) -> bytes:
    """Soft chimes, one a second (a real, playable WAV; 16 kHz mono, about 128 KB for 4 s)."""
    frames = bytearray()
    for n in range(int(seconds * RATE)):
        t = n / RATE
        beat = t % 1.0
        pitch = (523.25, 659.25, 783.99, 659.25)[int(t) % 4]
        level = 0.25 * math.exp(-4 * beat) * math.sin(2 * math.pi * pitch * t)
        frames += struct.pack("<h", int(level * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def seed_voice_note(
    *, client_id: int, by_id: int, transcript: str, recorded_at, interaction_id=None
) -> VoiceNote:
    """A voice note with its recording in the private storage and a transcript already typed."""
    content = chime_wav()
    note = VoiceNote(
        client_id=client_id,
        interaction_id=interaction_id,
        mime_type="audio/wav",
        duration=4.0,
        size=len(content),
        recorded_by_id=by_id,
        recorded_at=recorded_at,
        transcript=transcript,
        transcript_status=VoiceNote.TranscriptStatus.DONE,
        transcript_updated_at=recorded_at,
    )
    note.audio.save("demo.wav", ContentFile(content), save=False)
    note.save()  # through save(): the client's search text takes the transcript in
    return note

"""What an uploaded recording is, read from its content: type, duration, size; refused otherwise.

The browser's claim and the file name are ignored: `filetype` sniffs the container from its first
bytes and PyAV (FFmpeg) reads the duration, since the webm that Chrome records has no duration in its
header (mutagen cannot read it). Chrome's webm is remuxed (no re-encoding) so that players see its
duration and can seek.
"""

import contextlib
import os
import tempfile
from dataclasses import dataclass

import av
import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Sniffed MIME type → (extension we store, MIME type we serve).
ACCEPTED = {
    "video/webm": ("webm", "audio/webm"),
    "audio/ogg": ("ogg", "audio/ogg"),
    "video/mp4": ("mp4", "audio/mp4"),
    "audio/mp4": ("m4a", "audio/mp4"),
    "audio/x-m4a": ("m4a", "audio/mp4"),
    "audio/mpeg": ("mp3", "audio/mpeg"),
    "audio/x-wav": ("wav", "audio/wav"),
    "audio/wav": ("wav", "audio/wav"),
}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class AudioInfo:
    extension: str
    mime_type: str
    duration: float
    size: int


def _refuse(message: str):
    raise ValidationError(message, code="invalid_audio")


def _duration(container) -> float:
    """Seconds of the first audio stream: from the header, else from the packets' timestamps."""
    stream = next((s for s in container.streams if s.type == "audio"), None)
    if stream is None:
        _refuse(_("This file has no sound in it."))
    if any(s.type == "video" and not _is_cover_art(s) for s in container.streams):
        _refuse(_("This is a video; record or choose a sound file."))
    if container.duration:
        return container.duration / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    end = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def _is_cover_art(stream) -> bool:
    disposition = getattr(stream, "disposition", None)
    return bool(disposition is not None and "attached_pic" in str(disposition).lower())


def inspect_audio(upload) -> AudioInfo:
    """Reads an uploaded file (rewound after); raises ValidationError with a message for people."""
    max_bytes = settings.VOICE_NOTE_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        _refuse(_("The recording is empty. Record again, or choose another file."))
    if size > max_bytes:
        _refuse(
            _("The recording is larger than %(size)s MB.")
            % {"size": f"{max_bytes / (1024 * 1024):g}"}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if kind is None or kind.mime not in ACCEPTED:
        _refuse(_("This is not a recording we can keep: use webm, ogg, mp4/m4a, mp3 or wav."))
    extension, mime_type = ACCEPTED[kind.mime]
    try:
        with av.open(upload, "r") as container:
            duration = _duration(container)
    except ValidationError:
        raise
    except (av.FFmpegError, ValueError, OSError, EOFError):
        _refuse(_("This recording could not be read: it may be damaged or cut short."))
    finally:
        upload.seek(0)
    if duration <= 0:
        _refuse(_("The recording is empty. Record again, or choose another file."))
    max_seconds = settings.VOICE_NOTE_MAX_SECONDS
    if duration > max_seconds + 1:
        _refuse(
            _("The recording is longer than %(minutes)s minutes.")
            % {"minutes": f"{max_seconds / 60:g}"}
        )
    return AudioInfo(extension=extension, mime_type=mime_type, duration=duration, size=size)


@contextlib.contextmanager
def playable_copy(upload, info: AudioInfo):
    """A file object to store: Chrome's webm remuxed with its duration and cues, others as they are."""
    if info.extension != "webm":
        upload.seek(0)
        yield upload
        return
    handle, path = tempfile.mkstemp(suffix=".webm")
    os.close(handle)
    try:
        try:
            _remux_webm(upload, path)
        except (av.FFmpegError, ValueError, OSError):
            upload.seek(0)
            yield upload  # playable as recorded, only without a known duration
            return
        with open(path, "rb") as remuxed:
            yield remuxed
    finally:
        upload.seek(0)
        os.unlink(path)


def _remux_webm(upload, path: str) -> None:
    upload.seek(0)
    with av.open(upload, "r") as source, av.open(path, "w", format="webm") as target:
        stream = next(s for s in source.streams if s.type == "audio")
        out = target.add_stream_from_template(stream)
        for packet in source.demux(stream):
            if packet.dts is None:
                continue
            packet.stream = out
            target.mux(packet)

"""Real recordings for tests: made with PyAV (each container we accept) or espeak-ng (speech)."""

import io
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
from av.audio.frame import AudioFrame

# extension → (PyAV container format, codec)
FORMATS = {
    "webm": ("webm", "libopus"),
    "ogg": ("ogg", "libopus"),
    "m4a": ("ipod", "aac"),
    "mp4": ("mp4", "aac"),
    "mp3": ("mp3", "libmp3lame"),
    "wav": ("wav", "pcm_s16le"),
}
SPEECH = "Please book a table at the lighthouse restaurant for Thursday evening."


def tone(extension: str, seconds: float = 1.0, rate: int = 48000) -> bytes:
    """A sine tone of `seconds` in the container and codec a recorder or phone would produce."""
    container, codec = FORMATS[extension]
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        t = np.arange(int(rate * seconds)) / rate
        samples = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        size = stream.codec_context.frame_size or 1024
        for start in range(0, len(samples), size):
            chunk = samples[start : start + size]
            frame = AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def speech_wav(path: Path, text: str = SPEECH) -> Path:
    """Spoken English, synthesised by espeak-ng (installed by bin/test and .ci/run)."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is missing: apt-get install espeak-ng (bin/test installs it)"
    subprocess.run([espeak, "-s", "150", "-w", str(path), text], check=True)
    return path

"""One beat at a time: two beats started at once send each periodic task once per interval; when
the one holding the lock dies, the other takes over."""

import re
import signal
import time

import pytest

from concierge.celery import app
from tests.conftest import Beat, wait_for

INTERVAL = 2  # seconds between heartbeats, for the test
QUIET = "3600"


def beat_env():
    return {
        "HEARTBEAT_SECONDS": str(INTERVAL),
        "REMINDER_SWEEP_SECONDS": QUIET,
        "REMINDER_DELIVERY_SECONDS": QUIET,
        "TRANSCRIPTION_SWEEP_SECONDS": QUIET,
        "BEAT_LOCK_RETRY_SECONDS": "1",
    }


def heartbeats_sent(beat: Beat) -> int:
    return len(re.findall(r"Sending due task record-heartbeat", beat.output()))


@pytest.fixture
def beats(db, tmp_path):
    started = []

    def start(name):
        beat = Beat(tmp_path / f"{name}-schedule", name=f"{name}-{tmp_path.name}")
        beat.env_extra = beat_env()
        started.append(beat.start())
        return beat

    yield start
    for beat in started:
        beat.stop()
    with app.connection_for_write() as connection:  # what the beats sent, nobody will run
        connection.default_channel.queue_purge("celery")


def test_two_beats_started_at_once_send_each_task_once_per_interval(beats):
    first, second = beats("first"), beats("second")
    assert wait_for(lambda: heartbeats_sent(first) + heartbeats_sent(second) >= 1, timeout=60), (
        "neither beat sent anything"
    )
    start = time.monotonic()
    counts = heartbeats_sent(first), heartbeats_sent(second)
    time.sleep(8 * INTERVAL)
    window = time.monotonic() - start
    sent = heartbeats_sent(first) - counts[0], heartbeats_sent(second) - counts[1]
    # One beat sends, the other waits: about window / INTERVAL in all, never twice that.
    assert 0 in sent, (
        f"both beats sent heartbeats: {sent}\n--- first\n{first.output()[-3000:]}"
        f"\n--- second\n{second.output()[-3000:]}"
    )
    assert window / INTERVAL - 2 <= sum(sent) <= window / INTERVAL + 1, (sent, window)
    waiting = second if sent[1] == 0 else first
    assert "beat lock held by another beat: waiting" in waiting.output()

    # The beat holding the lock dies: the other takes over within seconds, still alone.
    holder = first if waiting is second else second
    holder.stop(sig=signal.SIGKILL)
    before = heartbeats_sent(waiting)
    assert wait_for(lambda: heartbeats_sent(waiting) > before, timeout=20), "no takeover"
    assert "beat lock taken" in waiting.output()

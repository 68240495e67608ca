"""The checks behind /healthz: database, broker, cache and beat, answered within HEALTH_TIMEOUT.

Every connection opened here has a timeout, and the broker and cache checks run in threads that the
answer does not wait for beyond the deadline: a broker that accepts connections and never replies
makes /healthz say "broker" within seconds, instead of hanging it.
"""

import datetime
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from kombu import Connection

from .models import Heartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(timeout: float | None = None) -> bool:
    timeout = timeout or settings.HEALTH_TIMEOUT
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if url.startswith("filesystem://"):
        return all(Path(options[key]).is_dir() for key in ("data_folder_in", "control_folder"))
    options = {
        **options,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
    }
    try:
        with Connection(url, connect_timeout=timeout, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            conn.default_channel  # noqa: B018 - a channel talks to the server (Redis: a PING)
        return True
    except Exception:
        return False


def cache_ok() -> bool:
    try:
        cache.set("healthz", "1", 30)
        return cache.get("healthz") == "1"
    except Exception:
        return False


def beat_last_run() -> datetime.datetime | None:
    return Heartbeat.objects.filter(name="beat").values_list("last_run_at", flat=True).first()


def beat_ok(last_run: datetime.datetime | None) -> bool:
    """Beat is failing when its heartbeat is older than BEAT_STALE_INTERVALS intervals (no
    heartbeat yet, on a fresh installation, is not counted against it)."""
    if last_run is None:
        return True
    stale = datetime.timedelta(seconds=settings.HEARTBEAT_SECONDS * settings.BEAT_STALE_INTERVALS)
    return timezone.now() - last_run <= stale


def within(checks: dict[str, Callable[[], bool]], timeout: float) -> dict[str, bool]:
    """Run each check in a thread of its own; one not done by the deadline counts as failing (its
    thread is left to its own socket timeout)."""
    results: dict[str, bool] = {}

    def run(name, check):
        results[name] = bool(check())

    threads = [
        threading.Thread(target=run, args=item, name=f"healthz-{item[0]}", daemon=True)
        for item in checks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, False) for name in checks}

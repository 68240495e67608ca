"""/healthz tells the truth within seconds: database, broker, cache and beat."""

import datetime
import socket
import time

import pytest
from django.utils import timezone

from concierge.models import Heartbeat


@pytest.fixture
def silent_server():
    """A port that accepts connections (the kernel completes the handshake) and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def test_healthz_answers_200_with_json_when_everything_is_reachable(client, db):
    Heartbeat.objects.create(name="beat", last_run_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["checks"] == {
        "database": True,
        "broker": True,
        "cache": True,
        "beat": True,
    }


@pytest.mark.parametrize(
    "broker_url",
    ["redis://127.0.0.1:1/0", "filesystem://"],
    ids=["redis-port-closed", "broker-folder-missing"],
)
def test_healthz_answers_503_naming_the_broker_when_it_is_down(
    client, db, settings, broker_url, tmp_path
):
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing" / "out"),
        "data_folder_out": str(tmp_path / "missing" / "out"),
        "control_folder": str(tmp_path / "missing" / "control"),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] is True


def test_a_broker_that_accepts_and_never_answers_gets_503_within_5_seconds(
    client, db, settings, silent_server
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    start = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - start
    assert response.status_code == 503 and response.json()["failing"] == ["broker"]
    assert elapsed < 5, f"answered after {elapsed:.1f} s"


def test_a_cache_that_accepts_and_never_answers_gets_503_within_5_seconds(
    client, db, settings, silent_server
):
    # No timeouts configured on purpose: the deadline alone must bound the answer.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent_server}/0",
        }
    }
    start = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - start
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]
    assert elapsed < 5, f"answered after {elapsed:.1f} s"


def test_a_stale_heartbeat_is_503_naming_the_beat(client, db, settings):
    interval = datetime.timedelta(seconds=settings.HEARTBEAT_SECONDS)
    beat = Heartbeat.objects.create(
        name="beat",
        last_run_at=timezone.now()
        - interval * settings.BEAT_STALE_INTERVALS
        + datetime.timedelta(seconds=10),
    )
    assert client.get("/healthz").status_code == 200  # late by the allowed intervals: still fine
    beat.last_run_at -= interval
    beat.save()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["beat"]
    assert response.json()["beat_last_run_at"] == beat.last_run_at.isoformat()

"""Settings come from the environment; checked in a fresh interpreter each time."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import ROOT

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"], "db_name": str(db["NAME"]), "db_host": db.get("HOST", ""),
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "time_zone": settings.TIME_ZONE,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "languages": [code for code, _ in settings.LANGUAGES],
    "secret_key": settings.SECRET_KEY,
    "beat": sorted(settings.CELERY_BEAT_SCHEDULE),
}))
"""
CLEARED = [
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "TIME_ZONE",
    "VAR_DIR",
]


def run_settings(**env):
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base["DJANGO_SETTINGS_MODULE"] = "concierge.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def load(**env):
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_are_embedded_and_need_no_server():
    settings = load()
    assert settings["debug"] is True
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["db_name"].endswith("var/concierge.sqlite3")
    assert settings["broker"] == "filesystem://"
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["time_zone"] == "Europe/Paris"
    assert settings["languages"] == ["en", "fr"]
    assert "record-heartbeat" in settings["beat"]


def test_environment_overrides_database_broker_cache_hosts_and_time_zone():
    settings = load(
        DATABASE_URL="postgres://someone:pw@db.internal:5433/concierge_prod",
        REDIS_URL="redis://cache.internal:6380/2",
        SECRET_KEY="s3cret-from-env",
        DEBUG="0",
        ALLOWED_HOSTS="concierge.example.com,www.concierge.example.com",
        TIME_ZONE="America/New_York",
    )
    assert settings["debug"] is False
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["db_name"] == "concierge_prod"
    assert settings["db_host"] == "db.internal"
    assert settings["broker"] == "redis://cache.internal:6380/2"
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["allowed_hosts"] == ["concierge.example.com", "www.concierge.example.com"]
    assert settings["time_zone"] == "America/New_York"
    assert settings["secret_key"] == "s3cret-from-env"


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_key_only_while_debug_is_on():
    assert load(DEBUG="1")["secret_key"].startswith("django-insecure-")


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner settings of PostgreSQL (CI runs it)"
)
def test_postgresql_plans_for_data_in_memory_without_compiling_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW random_page_cost")
        random_page_cost = float(cursor.fetchone()[0])
    assert jit == "off"
    assert random_page_cost <= 1.1

"""Reachability checks behind /healthz."""

from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if url.startswith("filesystem://"):
        return all(Path(options[key]).is_dir() for key in ("data_folder_in", "control_folder"))
    try:
        with Connection(url, connect_timeout=2, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False

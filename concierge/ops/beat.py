"""One beat at a time: a scheduler that sends nothing until it holds the beat lock.

On PostgreSQL the lock is a session advisory lock on a connection of its own: the database frees it
when the beat's process dies or its connection drops, so a second beat waiting on it takes over
within BEAT_LOCK_RETRY_SECONDS, with no lease to tune. On SQLite (the embedded setup, one machine)
it is an exclusive `flock` on BEAT_LOCK_FILE, freed by the kernel the same way. A beat that finds
its lock gone (the database restarted) stops sending and waits for it again.
"""

import contextlib
import fcntl
import logging
import os
import time
import zlib

from celery.beat import PersistentScheduler
from django.conf import settings

log = logging.getLogger(__name__)

# The advisory lock's key: any number, the same for every beat of this database.
LOCK_KEY = zlib.crc32(b"concierge-beat")


class AdvisoryLock:
    """A PostgreSQL session advisory lock held on its own connection."""

    def __init__(self, database: dict):
        self.database = database
        self.connection = None

    def _connect(self):
        import psycopg

        db = self.database
        return psycopg.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            autocommit=True,
            connect_timeout=5,
            # A beat whose host vanished frees its lock once the server notices (about a minute).
            keepalives=1,
            keepalives_idle=20,
            keepalives_interval=5,
            keepalives_count=3,
            application_name="concierge-beat",
        )

    def acquire(self) -> bool:
        try:
            if self.connection is None:
                self.connection = self._connect()
            row = self.connection.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()
            return bool(row[0])
        except Exception:
            log.warning("beat lock: the database cannot be reached", exc_info=True)
            self.release()
            return False

    def held(self) -> bool:
        try:
            row = self.connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid::bigint = %s "
                "AND pid = pg_backend_pid() AND granted",
                [LOCK_KEY],
            ).fetchone()
            return row[0] > 0
        except Exception:
            log.warning("beat lock: cannot tell whether it is still held", exc_info=True)
            return False

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()  # the session ends: the lock is freed
            self.connection = None


class FileLock:
    """An exclusive flock on a file: one beat per machine (the embedded setup)."""

    def __init__(self, path):
        self.path = str(path)
        self.fd = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def beat_lock():
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        return AdvisoryLock(database)
    return FileLock(settings.BEAT_LOCK_FILE)


class LockedScheduler(PersistentScheduler):
    """Celery's scheduler, ticking only while it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        self.locked = False
        self.waiting_since = None
        self.checked_at = 0.0
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        retry = settings.BEAT_LOCK_RETRY_SECONDS
        if self.locked and time.monotonic() - self.checked_at >= retry:
            self.checked_at = time.monotonic()
            if not self.lock.held():
                log.error("beat lock lost: sending nothing until it is held again")
                self.lock.release()
                self.locked = False
        if not self.locked:
            if not self.lock.acquire():
                if self.waiting_since is None:
                    self.waiting_since = time.monotonic()
                    log.warning("beat lock held by another beat: waiting (this beat sends nothing)")
                return retry
            self.locked, self.waiting_since = True, None
            self.checked_at = time.monotonic()
            self._heap = None  # the schedule is read afresh from here on
            log.warning("beat lock taken: this beat sends the periodic tasks")
        return super().tick(*args, **kwargs)

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
            self.locked = False

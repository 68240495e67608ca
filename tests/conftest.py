import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from concierge.models import Team, User

# The ORM is called beside Playwright's event loop in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "a-long-test-password"


def make_user(username, *, role=User.Role.CONCIERGE, team=None, **extra):
    user = User(username=username, role=role, team=team, email=f"{username}@example.com", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher costs ~0.3 s a user; the tests create several users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request speaks its user's language and leaves it active in the thread (as in a server,
    where the next request chooses again); the next test's code outside a request starts from the
    default language, not from the language of the last test's user."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def own_cache_keys(settings):
    """Each test its own cache keys (a fresh prefix): a team's dashboard cached by an earlier test,
    or run, under a reused id is never read, and the Redis database (which the broker may share) is
    never flushed."""
    settings.CACHES = {
        name: {**conf, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for name, conf in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def live_server_finishes_its_requests(request):
    """The live server outlives each test, and its request threads run on after the browser has
    gone: a request still at work when the test's database is flushed makes the flush fail (and
    every later test then meets the last one's rows). Each test waits for them before the flush."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so flushed after this teardown
    request.getfixturevalue("live_server")
    yield
    # The server's threads are daemons, which socketserver does not keep; they are named after
    # the method they run.
    deadline = time.monotonic() + 15
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.fixture
def no_transcription(settings):
    """No engine: every voice note waits for a typed transcript (no task, no worker needed)."""
    settings.TRANSCRIPTION_BACKEND = "none"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Private files (photos, recordings, the demo's voice notes) of a test go to its own folder,
    never to var/private."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "clients.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def team(db):
    return Team.objects.create(name="Rive Gauche")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Monaco")


@pytest.fixture
def concierge(team):
    """The owner: the concierge a client is assigned to."""
    return make_user("owner", team=team, first_name="Camille", last_name="Laurent")


@pytest.fixture
def colleague(team):
    """Same team, but not assigned to the client."""
    return make_user("colleague", team=team, first_name="Julien")


@pytest.fixture
def outsider(other_team):
    return make_user("outsider", team=other_team)


@pytest.fixture
def manager(team):
    return make_user("manager", role=User.Role.MANAGER, team=team, first_name="Hélène")


@pytest.fixture
def outside_manager(other_team):
    return make_user("outside-manager", role=User.Role.MANAGER, team=other_team)


@pytest.fixture
def concierge_client(client, concierge):
    client.force_login(concierge)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# Browser tests: Debian's chromium, since Playwright cannot download its own browser here.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    }


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# A real Celery worker, in its own process, on the configured broker and the test database.
def database_url_for_tests() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "") + "@"
    return f"postgres://{auth}{host}:{port}/{s['NAME']}"


# Every worker or beat a test starts runs in a process group of its own (start_new_session), so that
# killing the group kills its pool and any beat with it; the groups are remembered, and the run
# fails at the end if any of their processes survived.
STARTED_GROUPS: set[int] = set()


def start_celery(args: list[str], log_name: str, env_extra: dict | None = None):
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "ab")  # noqa: SIM115
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "DEBUG": "1",
        **(env_extra or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "concierge", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    STARTED_GROUPS.add(process.pid)
    return process


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def group_pids(pgid: int) -> list[int]:
    """The processes of a group (read from /proc), e.g. a prefork worker and its pool."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    pids.append(int(entry))
            except (ProcessLookupError, PermissionError):
                pass
    return pids


def kill_group(process, sig=signal.SIGKILL, timeout=20.0):
    """Signal the whole group; wait for the leader; then make sure nothing of the group is left."""
    pgid = process.pid
    if group_alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + timeout
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)  # pool children exit once their parent is gone
    if group_alive(pgid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        while group_alive(pgid) and time.monotonic() < deadline + 5:
            time.sleep(0.1)
    process.log.close()


@pytest.fixture(scope="session", autouse=True)
def no_worker_or_beat_left_behind():
    yield
    survivors = {pgid: group_pids(pgid) for pgid in STARTED_GROUPS if group_alive(pgid)}
    for pgid in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
    assert not survivors, f"workers or beats left running by the tests: {survivors}"


class Worker:
    def __init__(self, queue: str, extra_args=()):
        self.queue = queue
        self.extra_args = list(extra_args)
        self.process = None
        self.env_extra = {}
        self.concurrency = 1

    def start(self):
        self.process = start_celery(
            [
                "worker",
                "--queues",
                self.queue,
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                *self.extra_args,
            ],
            f"worker-{self.queue}.log",
            self.env_extra,
        )
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.returncode is None:
            kill_group(self.process, sig)


class Beat:
    def __init__(self, schedule: Path, name: str = "beat"):
        self.schedule = schedule
        self.name = name
        self.env_extra = {}
        self.process = None

    def start(self):
        # The test run's pid in the name: two runs of the suite at once (both databases from one
        # checkout) must not read each other's beats.
        log_name = f"{self.name}-{os.getpid()}.log"
        self.log_path = ARTIFACTS / log_name
        self.log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.process = start_celery(
            ["beat", "--loglevel", "INFO", "--schedule", str(self.schedule)],
            log_name,
            self.env_extra,
        )
        return self

    def output(self) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(self.log_start)
            return log.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.returncode is None:
            kill_group(self.process, sig)


@pytest.fixture
def celery_worker_process(transactional_db):
    worker = Worker(queue=f"test-{uuid.uuid4().hex[:8]}")
    yield worker
    worker.stop()


def wait_for(predicate, timeout=45.0, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False

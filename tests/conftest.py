import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

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


class Worker:
    def __init__(self, queue: str, extra_args=()):
        self.queue = queue
        self.extra_args = list(extra_args)
        self.process = None
        self.env_extra = {}

    def start(self):
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"worker-{self.queue}.log", "ab")  # noqa: SIM115
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "DEBUG": "1",
            **self.env_extra,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "concierge",
                "worker",
                "--queues",
                self.queue,
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                *self.extra_args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        return self

    def stop(self, sig=None):
        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()


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

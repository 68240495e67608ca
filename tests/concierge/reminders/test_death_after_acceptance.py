"""The sender dies right after the mail server accepted (SIGKILL, before the email is marked sent):
the email is sent again once its lease has run out, once, with the same Message-ID."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from concierge.models import DigestSent, Notification, Reminder
from tests.conftest import ROOT, database_url_for_tests
from tests.email_backends import accepted

# Long enough that a second sender, a new process on a busy machine, starts within it.
LEASE = 5

SEND = """
import datetime, os
import django
django.setup()
import time_machine
from concierge.reminders.delivery import deliver_due
from concierge.reminders.digest import send_morning_digests
if os.environ["WHAT"] == "digest":
    with time_machine.travel(datetime.datetime.fromisoformat(os.environ["AT"]), tick=True):
        print(send_morning_digests())
else:
    print(deliver_due())
"""


def run(tmp_path, what, at=None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "DJANGO_SETTINGS_MODULE": "concierge.settings",
        "DEBUG": "1",
        "EMAIL_BACKEND": "tests.email_backends.DieAfterAcceptBackend",
        "EMAIL_RECORD": str(tmp_path / "accepted.txt"),
        "EMAIL_DIE_ONCE": str(tmp_path / "died"),
        "EMAIL_LEASE_SECONDS": str(LEASE),
        "WHAT": what,
        "AT": at.isoformat() if at else "",
    }
    return subprocess.run(
        [sys.executable, "-c", SEND], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db(transaction=True)
def test_a_reminder_email_is_resent_once_with_the_same_message_id(concierge, tmp_path):
    Reminder.objects.create(
        owner=concierge,
        note="Call back",
        due_at=timezone.now() - datetime.timedelta(minutes=1),
        dedupe_key="k",
    )
    first = run(tmp_path, "reminder")
    assert first.returncode == -signal.SIGKILL, first.stderr
    notification = Notification.objects.get()
    assert notification.emailed_at is None  # accepted, never marked
    assert run(tmp_path, "reminder").stdout.split()[-1] == "0"  # the lease still holds
    assert len(accepted(tmp_path / "accepted.txt")) == 1
    time.sleep(LEASE + 0.5)
    assert run(tmp_path, "reminder").returncode == 0
    assert run(tmp_path, "reminder").returncode == 0
    log = accepted(tmp_path / "accepted.txt")
    identity = f"<notification-{notification.pk}@127.0.0.1>"
    assert [mid for mid, _pid in log] == [identity, identity]
    assert log[0][1] != log[1][1]  # two processes: the one that died, the one after
    notification.refresh_from_db()
    assert notification.emailed_at is not None and notification.email_attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_digest_is_resent_once_with_the_same_message_id(concierge, tmp_path):
    morning = datetime.datetime(2026, 6, 2, 5, 0, tzinfo=datetime.UTC)  # 07:00 in Paris
    Reminder.objects.create(
        owner=concierge,
        note="Send the catalogue",
        due_at=morning + datetime.timedelta(hours=6),
        dedupe_key="k",
    )
    first = run(tmp_path, "digest", morning)
    assert first.returncode == -signal.SIGKILL, first.stderr
    claim = DigestSent.objects.get()
    assert claim.emailed_at is None and claim.day == datetime.date(2026, 6, 2)
    later = morning + datetime.timedelta(minutes=15)
    for _ in range(3):
        assert run(tmp_path, "digest", later).returncode == 0
        later += datetime.timedelta(minutes=15)
    identity = f"<digest-{concierge.pk}-2026-06-02@127.0.0.1>"
    assert [mid for mid, _pid in accepted(tmp_path / "accepted.txt")] == [identity, identity]
    claim.refresh_from_db()
    assert claim.emailed_at is not None and DigestSent.objects.count() == 1

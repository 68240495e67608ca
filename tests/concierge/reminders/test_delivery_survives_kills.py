"""Delivery on the real stack, killed again and again: a prefork worker (concurrency 2) and a beat
of their own, thousands of due reminders, the worker's whole process group SIGKILLed several times
while it delivers, and a mail server that records every message it accepts (then takes 20 ms to
say goodbye, as an SMTP QUIT does). Every reminder ends with exactly one notification, and each
notification's email was accepted once, or twice with the same Message-ID only when the process
that sent it first was killed right after (between the send and the mark)."""

import datetime
import signal
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from concierge.celery import app
from concierge.models import Notification, Reminder
from tests.conftest import Beat, Worker, group_pids, kill_group, wait_for
from tests.email_backends import accepted

REMINDERS = 2000
KILLS = 4


@pytest.mark.django_db(transaction=True)
def test_every_reminder_is_notified_once_and_emailed_once_through_repeated_kills(
    concierge, tmp_path
):
    past = timezone.now() - datetime.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(owner=concierge, note=f"Reminder {n}", due_at=past, dedupe_key=f"kill:{n}")
        for n in range(REMINDERS)
    )
    record = tmp_path / "accepted.txt"
    env = {
        "EMAIL_BACKEND": "tests.email_backends.RecordingBackend",
        "EMAIL_RECORD": str(record),
        "EMAIL_PAUSE_AFTER_ACCEPT": "0.02",
        "EMAIL_LEASE_SECONDS": "5",  # a killed sender's emails are free again soon
        "EMAIL_SEND_BATCH": "100",
        "REMINDER_DELIVERY_BATCH": "50",
        "REMINDER_DELIVERY_SECONDS": "1",
        "REMINDER_SWEEP_SECONDS": "3600",
        "HEARTBEAT_SECONDS": "3600",
        "TRANSCRIPTION_SWEEP_SECONDS": "3600",
    }
    beat = Beat(tmp_path / "schedule", name=f"kill-beat-{tmp_path.name}")
    beat.env_extra = env

    def start_worker():
        worker = Worker(queue="celery")
        worker.concurrency = 2
        worker.env_extra = env
        return worker.start()

    killed: set[int] = set()
    worker = None
    try:
        beat.start()
        for kill in range(KILLS):
            worker = start_worker()
            target = len(accepted(record)) + REMINDERS // (2 * KILLS)
            assert wait_for(lambda t=target: len(accepted(record)) >= t, timeout=180), (
                f"kill {kill + 1}: the worker delivered nothing"
            )
            pids = group_pids(worker.process.pid)
            assert len(pids) >= 3, f"not a prefork worker with two children: {pids}"
            killed.update(pids)
            kill_group(worker.process, signal.SIGKILL)
        assert Notification.objects.filter(emailed_at__isnull=False).count() < REMINDERS, (
            "everything was sent before the last kill"
        )
        worker = start_worker()
        assert wait_for(
            lambda: (
                not Reminder.objects.filter(notified_at__isnull=True).exists()
                and not Notification.objects.filter(emailed_at__isnull=True).exists()
            ),
            timeout=300,
        ), "delivery did not finish after the kills"
    finally:
        if worker is not None:
            worker.stop()
        beat.stop()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge("celery")

    # Exactly one notification per reminder.
    assert Notification.objects.count() == REMINDERS
    assert Notification.objects.values("reminder").distinct().count() == REMINDERS

    # Every email accepted, once or twice with the same identity.
    expected = {
        f"<notification-{pk}@127.0.0.1>" for pk in Notification.objects.values_list("pk", flat=True)
    }
    log = accepted(record)
    times = Counter(mid for mid, _pid in log)
    assert set(times) == expected, "an email was lost, or one has an unknown identity"
    assert max(times.values()) <= 2, [m for m, n in times.items() if n > 2]

    # A second copy only when the first one's process was killed right after accepting it.
    last_by_pid: dict[int, str] = {}
    for mid, pid in log:
        last_by_pid[pid] = mid
    first_sender = {}
    for mid, pid in log:
        first_sender.setdefault(mid, pid)
    twice = [mid for mid, n in times.items() if n == 2]
    unexplained = [
        mid
        for mid in twice
        if first_sender[mid] not in killed or last_by_pid[first_sender[mid]] != mid
    ]
    assert not unexplained, f"sent twice without a kill between send and mark: {unexplained}"
    senders = defaultdict(int)
    for _mid, pid in log:
        senders[pid] += 1
    print(
        f"{REMINDERS} reminders, {KILLS} kills, {len(log)} acceptances, "
        f"{len(twice)} resent after a kill between send and mark, {len(senders)} sending processes"
    )

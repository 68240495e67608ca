"""Emails are never sent twice with a new identity and never lost: a Message-ID per email, a lease
while it is sent, retries that back off to a cap for at least a day, oldest first, and what finally
fails is marked, logged and shown."""

import datetime
import logging

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.models import DigestSent, Notification, Outage, Reminder
from concierge.reminders import outbox
from concierge.reminders.delivery import deliver_batch, deliver_due, send_pending_emails
from concierge.reminders.digest import send_morning_digests
from tests.conftest import make_user
from tests.email_backends import OutageBackend

T0 = datetime.datetime(2026, 6, 2, 12, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "tests.email_backends.OutageBackend"
    OutageBackend.down, OutageBackend.refused, OutageBackend.attempts = False, set(), 0
    yield OutageBackend
    OutageBackend.down, OutageBackend.refused = False, set()


def reminders_due(owner, count, at=T0, every=datetime.timedelta(0)):
    Reminder.objects.bulk_create(
        Reminder(owner=owner, note=f"Reminder {n}", due_at=at + n * every, dedupe_key=f"t:{n}")
        for n in range(count)
    )


def sent_ids(mailoutbox) -> list[str]:
    return [m.message()["Message-ID"] for m in mailoutbox]


def notification_id(notification) -> str:
    return f"<notification-{notification.pk}@127.0.0.1>"


def test_each_notification_email_carries_its_own_message_id(concierge, smtp, mailoutbox):
    reminders_due(concierge, 2)
    with time_machine.travel(T0, tick=False):
        deliver_due()
    notifications = list(Notification.objects.order_by("id"))
    assert sent_ids(mailoutbox) == [notification_id(n) for n in notifications]
    assert all(n.emailed_at and n.next_attempt_at is None for n in notifications)


def test_an_email_held_by_a_sender_that_died_goes_once_its_lease_runs_out(
    concierge, smtp, mailoutbox, settings
):
    reminders_due(concierge, 1)
    with time_machine.travel(T0, tick=False) as clock:
        Notification.objects.create(
            user=concierge, reminder=Reminder.objects.get(), created_at=T0, next_attempt_at=T0
        )
        held = outbox.claim(Notification, timezone.now())  # a sender takes it, then dies
        assert held is not None
        assert send_pending_emails() == 0  # nobody else sends it while the lease holds
        clock.shift(datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS - 1))
        assert send_pending_emails() == 0
        clock.shift(datetime.timedelta(seconds=2))
        assert send_pending_emails() == 1
        assert send_pending_emails() == 0
    held.refresh_from_db()
    assert sent_ids(mailoutbox) == [notification_id(held)]
    assert held.email_attempts == 2 and held.emailed_at is not None


def test_a_refused_recipient_does_not_hold_back_the_others(concierge, colleague, smtp, mailoutbox):
    smtp.refused = {colleague.email}
    Reminder.objects.bulk_create(
        Reminder(owner=owner, note=f"R{n}", due_at=T0, dedupe_key=f"r:{n}")
        for n, owner in enumerate([colleague, concierge, colleague, concierge])
    )
    with time_machine.travel(T0, tick=False):
        deliver_due()
    assert [m.to for m in mailoutbox] == [[concierge.email], [concierge.email]]
    refused = Notification.objects.filter(user=colleague)
    assert all(n.next_attempt_at == T0 + MINUTE and n.email_attempts == 1 for n in refused)
    assert not Outage.objects.filter(failures__gt=0).exists()  # the server is fine


def test_emails_in_back_off_are_not_looked_at_again_before_their_time(
    concierge, colleague, smtp, mailoutbox, settings
):
    # The old code read "the first 200 unsent" at every run: with 200 failing, nothing new went.
    settings.EMAIL_SEND_BATCH = 10
    smtp.refused = {colleague.email}
    Reminder.objects.bulk_create(
        Reminder(owner=colleague, note=f"R{n}", due_at=T0, dedupe_key=f"r:{n}") for n in range(15)
    )
    with time_machine.travel(T0, tick=False) as clock:
        deliver_batch(T0, 100)
        send_pending_emails()  # 15 notifications, 10 emails tried
        assert smtp.attempts == 10
        Reminder.objects.create(owner=concierge, note="New", due_at=T0, dedupe_key="new")
        clock.shift(datetime.timedelta(seconds=10))
        deliver_due()  # the 5 not tried yet, and the new one
        assert smtp.attempts == 16 and [m.to for m in mailoutbox] == [[concierge.email]]
        clock.shift(datetime.timedelta(seconds=10))
        assert send_pending_emails() == 0
        assert smtp.attempts == 16  # all in back-off: none was tried again


def test_retries_back_off_to_the_cap(concierge, smtp, settings):
    smtp.refused = {concierge.email}
    reminders_due(concierge, 1)
    gaps = []
    with time_machine.travel(T0, tick=False) as clock:
        deliver_due()
        for _ in range(9):
            notification = Notification.objects.get()
            gaps.append(notification.next_attempt_at - timezone.now())
            clock.move_to(notification.next_attempt_at)
            send_pending_emails()
    assert [g.total_seconds() / 60 for g in gaps] == [1, 2, 4, 8, 16, 30, 30, 30, 30]


def test_an_smtp_outage_of_five_hours_loses_nothing_and_sends_oldest_first(
    concierge, colleague, smtp, mailoutbox, settings
):
    """Reminders come due every 20 minutes while the mail server is down from 12:00 to 17:00;
    delivery runs every minute. When it answers again, every email goes, oldest first, within the
    back-off cap; meanwhile the server was probed, not hammered."""
    owners = [concierge, colleague]
    Reminder.objects.bulk_create(
        Reminder(owner=owners[n % 2], note=f"R{n}", due_at=T0 + n * 20 * MINUTE, dedupe_key=f"{n}")
        for n in range(15)
    )
    smtp.down = True
    moment = T0
    with time_machine.travel(T0, tick=False) as clock:
        while moment < T0 + datetime.timedelta(hours=5):
            deliver_due()
            moment += MINUTE
            clock.move_to(moment)
        assert Notification.objects.count() == 15 and mailoutbox == []
        assert not Notification.objects.filter(email_failed_at__isnull=False).exists()
        probes = smtp.attempts
        assert probes < 40, "the server was hammered"
        outage = Outage.objects.get()
        assert outage.since == T0 and outage.failures > 5

        smtp.down = False
        recovered = moment
        while Notification.objects.filter(emailed_at__isnull=True).exists():
            assert moment - recovered <= datetime.timedelta(seconds=settings.EMAIL_RETRY_MAX_DELAY)
            deliver_due()
            moment += MINUTE
            clock.move_to(moment)
    order = list(Notification.objects.order_by("created_at", "id"))
    assert sent_ids(mailoutbox) == [notification_id(n) for n in order]
    assert not Outage.objects.filter(failures__gt=0).exists()


def test_a_mail_server_down_longer_than_the_retry_period_marks_emails_failed_and_says_so(
    concierge, manager, smtp, settings, caplog, client
):
    reminders_due(concierge, 3)
    smtp.down = True
    with time_machine.travel(T0, tick=False) as clock:
        deliver_due()
        with caplog.at_level(logging.ERROR, logger="concierge.reminders.outbox"):
            clock.shift(datetime.timedelta(seconds=settings.EMAIL_RETRY_FOR - 60))
            send_pending_emails()
            assert not Notification.objects.filter(email_failed_at__isnull=False).exists()
            clock.shift(datetime.timedelta(seconds=120))
            send_pending_emails()
        failed = Notification.objects.filter(email_failed_at__isnull=False)
        assert failed.count() == 3
        assert all(n.next_attempt_at is None and n.emailed_at is None for n in failed)
        assert "3 emails (notification) given up after 48 hours unsent" in caplog.text

        client.force_login(concierge)
        page = client.get("/notifications/").content.decode()
        assert page.count("its email could not be sent") == 3
        client.force_login(manager)
        agenda = client.get("/agenda/").content.decode()
        assert "3 emails to your team could not be sent in the last 7 days" in agenda
        assert "The mail server has not answered since" in agenda


def test_a_digest_is_retried_while_its_day_lasts_then_marked_failed(concierge, smtp, mailoutbox):
    Reminder.objects.create(
        owner=concierge, note="Catalogue", due_at=T0 + datetime.timedelta(hours=3), dedupe_key="c"
    )
    morning = datetime.datetime(2026, 6, 2, 5, 0, tzinfo=datetime.UTC)  # 07:00 in Paris
    smtp.down = True
    with time_machine.travel(morning, tick=False) as clock:
        assert send_morning_digests() == 0
        claim = DigestSent.objects.get()
        assert claim.next_attempt_at == morning and claim.emailed_at is None
        for _ in range(4 * 18):  # every quarter of an hour until 01:00 the next day
            clock.shift(datetime.timedelta(minutes=15))
            send_morning_digests()
    claim.refresh_from_db()
    assert claim.email_failed_at is not None and "day of this digest is over" in claim.email_error
    assert mailoutbox == []


def test_a_digest_sent_late_in_the_day_keeps_its_identity(concierge, smtp, mailoutbox):
    Reminder.objects.create(
        owner=concierge, note="Catalogue", due_at=T0 + datetime.timedelta(hours=3), dedupe_key="c"
    )
    morning = datetime.datetime(2026, 6, 2, 5, 0, tzinfo=datetime.UTC)
    smtp.down = True
    with time_machine.travel(morning, tick=False) as clock:
        send_morning_digests()
        clock.shift(datetime.timedelta(hours=6))
        smtp.down = False
        for _ in range(4):
            clock.shift(datetime.timedelta(minutes=15))
            send_morning_digests()
    assert sent_ids(mailoutbox) == [f"<digest-{concierge.pk}-2026-06-02@127.0.0.1>"]


def test_users_without_email_are_settled_without_an_email(db, smtp, mailoutbox):
    mute = make_user("mute")
    mute.email = ""
    mute.save()
    reminders_due(mute, 1)
    with time_machine.travel(T0, tick=False):
        deliver_due()
    notification = Notification.objects.get()
    assert notification.next_attempt_at is None and notification.emailed_at is None
    assert mailoutbox == []


def test_each_email_sent_costs_one_statement_to_mark(concierge, smtp, mailoutbox):
    """Past what a batch reads together, an email costs one UPDATE (no transaction of its own)."""
    counts = []
    for count in (5, 25):
        Reminder.objects.all().delete()
        reminders_due(concierge, count)
        with time_machine.travel(T0, tick=False):
            deliver_batch(T0, 100)
            with CaptureQueriesContext(connection) as queries:
                assert send_pending_emails() == count
        counts.append(len(queries))
    assert counts[1] - counts[0] == 20
    marks = [q["sql"] for q in queries.captured_queries if '"emailed_at" =' in q["sql"]]
    assert len(marks) == 25


@pytest.mark.django_db(transaction=True)
def test_marks_do_not_wait_for_the_disk_and_the_session_is_given_back_as_it_was(
    concierge, smtp, mailoutbox, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    seen = []
    mark = outbox.mark_sent
    monkeypatch.setattr(outbox, "mark_sent", lambda row: (seen.append(setting()), mark(row)))
    reminders_due(concierge, 3)
    with time_machine.travel(T0, tick=False):
        assert deliver_due() == 3
    assert seen == ["off"] * 3
    assert setting() == "on"
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 3

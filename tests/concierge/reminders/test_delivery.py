"""Delivery: each due reminder becomes one in-app notification and one email; failures are retried."""

import datetime

import time_machine
from django.core import mail
from django.utils import timezone

from concierge.models import Notification, Reminder
from concierge.reminders.delivery import deliver_due, send_pending_emails
from concierge.reminders.services import (
    reminder_close,
    reminder_create,
    reminder_snooze,
    reminders_reassign,
)
from requests.models import Status
from tests.email_backends import FlakyBackend
from tests.factories import ClientFactory, ServiceRequestFactory


def due_reminder(owner, minutes_ago=5, **extra):
    return reminder_create(
        owner=owner,
        by=owner,
        title="Call back Madame d'Harcourt",
        due_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **extra,
    )


def test_a_due_reminder_is_delivered_once_in_app_and_by_email(concierge, mailoutbox):
    reminder = due_reminder(concierge)
    assert deliver_due() == 1
    assert deliver_due() == 0
    notification = Notification.objects.get()
    assert (notification.user, notification.reminder, notification.title) == (
        concierge,
        reminder,
        "Call back Madame d'Harcourt",
    )
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [concierge.email]
    reminder.refresh_from_db()
    assert reminder.notified_at is not None


def test_a_reminder_not_yet_due_waits(concierge, mailoutbox):
    reminder_create(
        owner=concierge,
        by=concierge,
        title="Later",
        due_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert deliver_due() == 0
    assert not Notification.objects.exists() and not mailoutbox


def test_done_and_dismissed_reminders_are_not_delivered(concierge):
    reminder_close(reminder=due_reminder(concierge), state="done")
    reminder_close(reminder=due_reminder(concierge), state="dismissed")
    assert deliver_due() == 0
    assert not Notification.objects.exists() and not mail.outbox
    assert not Reminder.objects.filter(notified_at__isnull=False).exists()


def test_a_snoozed_reminder_prompts_again_once_at_its_new_time(concierge):
    reminder = due_reminder(concierge)
    deliver_due()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        reminder_snooze(reminder=reminder, option="hour")
        assert deliver_due() == 0
        traveller.shift(datetime.timedelta(minutes=61))
        assert deliver_due() == 1
        assert deliver_due() == 0
    assert Notification.objects.filter(reminder=reminder).count() == 2


def test_a_failed_email_is_retried_on_the_next_run(concierge, settings):
    settings.EMAIL_BACKEND = "tests.email_backends.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    due_reminder(concierge)
    deliver_due()
    notification = Notification.objects.get()
    assert notification.emailed_at is None and notification.email_attempts == 1
    assert send_pending_emails() == 0  # too soon: it waits a little before trying again
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert deliver_due() == 0  # nothing new is due, and yet the failed email goes out
    notification.refresh_from_db()
    assert notification.emailed_at is not None and len(mail.outbox) == 1


def test_a_reminder_whose_reason_is_gone_is_closed_not_delivered(concierge):
    client = ClientFactory(primary_concierge=concierge)
    sr = ServiceRequestFactory(client=client, status=Status.ACKNOWLEDGED)
    Reminder.objects.create(
        owner=concierge,
        client=client,
        service_request=sr,
        kind="not_acknowledged",
        due_at=timezone.now(),
        dedupe_key="ack:x",
    )
    assert deliver_due() == 0
    assert Reminder.objects.get().state == "done"


def test_reassigning_a_client_moves_its_open_reminders(concierge, colleague, manager, client):
    eloise = ClientFactory(primary_concierge=concierge)
    live = due_reminder(concierge, client=eloise)
    finished = reminder_close(reminder=due_reminder(concierge, client=eloise), state="done")
    client.force_login(manager)
    client.post(f"/clients/{eloise.pk}/assign/", {"concierge": colleague.pk, "action": "assign"})
    live.refresh_from_db()
    finished.refresh_from_db()
    assert live.owner == colleague and finished.owner == concierge
    assert reminders_reassign(client=eloise, previous_owner=colleague, new_owner=colleague) == 0


def test_a_request_moved_to_a_later_date_is_not_reported_late(concierge):
    from concierge.reminders.sweep import sweep

    client = ClientFactory(primary_concierge=concierge)
    sr = ServiceRequestFactory(
        client=client,
        status=Status.IN_PROGRESS,
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    sweep()
    sr.due_at = timezone.now() + datetime.timedelta(days=10)
    sr.save()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        assert deliver_due() == 0
    assert not Notification.objects.exists()


def test_a_reminder_for_a_deleted_date_is_not_delivered(concierge):
    from concierge.reminders.sweep import sweep
    from tests.factories import ImportantDateFactory

    client = ClientFactory(primary_concierge=concierge)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    date = ImportantDateFactory(client=client, date=soon.replace(year=1980))
    sweep()
    assert Reminder.objects.filter(kind="important_date").exists()
    date.delete()
    assert deliver_due() == 0


def test_an_email_still_pending_when_the_client_changes_hands_is_not_sent_to_the_former_concierge(
    concierge, colleague, manager, client, settings
):
    settings.EMAIL_BACKEND = "tests.email_backends.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    eloise = ClientFactory(primary_concierge=concierge, last_name="d'Harcourt")
    due_reminder(concierge, client=eloise)
    deliver_due()  # the in-app prompt is there; its email failed and waits for its retry
    assert Notification.objects.get().user == concierge and not mail.outbox

    client.force_login(manager)
    client.post(f"/clients/{eloise.pk}/assign/", {"concierge": colleague.pk, "action": "assign"})
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        send_pending_emails()

    assert [m.to for m in mail.outbox if "d'Harcourt" in m.subject + m.body] == []
    assert all(m.to != [concierge.email] for m in mail.outbox)

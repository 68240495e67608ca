"""Snooze never moves a reminder earlier: the choices count from the later of now and its due time."""

import datetime
import zoneinfo

import pytest
import time_machine

from concierge.models import Notification
from concierge.reminders.delivery import deliver_due
from concierge.reminders.services import reminder_create, reminder_snooze

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("hour", at(10, 19)),  # due at 18:00 today: an hour after that, not 15:00
        ("tomorrow", at(11, 9)),
        ("next_week", at(15, 9)),  # Wednesday 10 March: Monday 15th
    ],
)
def test_snoozing_a_reminder_due_later_today_never_brings_it_earlier(concierge, option, expected):
    with time_machine.travel(at(10, 14), tick=False):
        reminder = reminder_create(owner=concierge, by=concierge, title="Call", due_at=at(10, 18))
        snoozed = reminder_snooze(reminder=reminder, option=option)
    assert snoozed.due_at == expected
    assert snoozed.due_at >= reminder.due_at


def test_snoozing_a_reminder_due_next_week_to_tomorrow_leaves_it_after_its_time(concierge):
    with time_machine.travel(at(10, 14), tick=False):
        reminder = reminder_create(owner=concierge, by=concierge, title="Call", due_at=at(16, 11))
        snoozed = reminder_snooze(reminder=reminder, option="tomorrow")
    assert snoozed.due_at == at(17, 9)


def test_an_overdue_reminder_snoozed_an_hour_comes_back_an_hour_from_now(concierge):
    with time_machine.travel(at(10, 14), tick=False) as traveller:
        reminder = reminder_create(owner=concierge, by=concierge, title="Call", due_at=at(10, 9))
        deliver_due()
        snoozed = reminder_snooze(reminder=reminder, option="hour")
        assert snoozed.due_at == at(10, 15)
        # Its first notification is read: the bell no longer counts it until it comes back.
        assert Notification.objects.get().read_at is not None
        traveller.move_to(at(10, 15, 1))
        assert deliver_due() == 1

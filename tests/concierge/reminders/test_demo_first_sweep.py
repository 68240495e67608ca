"""The demo end to end, as a new user meets it: seed, then the sweep and the delivery as beat runs
them. A handful of prompts per concierge, each subject once, and a second run adds nothing."""

import datetime
import io
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from concierge.models import Notification, Reminder, User
from concierge.reminders import tasks

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# At most this many prompts (notifications) and emails per demo concierge after the first sweep
# and delivery. Why 10: one "to catch up" prompt lists everything the demo history makes late
# (overdue requests, calls owed, dates whose prompt time passed); what is left comes due within the
# grace period (4 hours) of the first run: the hand-set "call back" from 20 minutes ago, the demo
# requests that turned due soon or overdue in the last hours (5 for Camille), and a date whose 09:00
# prompt is today. Measured: 8 for Camille, 1 for Julien, 0 for Hélène (she owns no client).
MAX_PROMPTS = 10


def beat_runs_once():
    tasks.sweep_reminders_task()
    tasks.sweep_contact_cadence_task()
    tasks.deliver_due_reminders_task()


@pytest.mark.parametrize("hour", [9, 15])
def test_the_first_sweep_on_the_demo_gives_each_concierge_a_handful_once(db, mailoutbox, hour):
    with time_machine.travel(datetime.datetime(2027, 3, 10, hour, 30, tzinfo=PARIS), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        beat_runs_once()

        concierges = User.objects.filter(username__in=["camille", "julien", "helene"])
        assert concierges.count() == 3
        for user in concierges:
            prompts = Notification.objects.filter(user=user).count()
            emails = [m for m in mailoutbox if m.to == [user.email]]
            assert prompts <= MAX_PROMPTS, (user.username, prompts)
            assert len(emails) == prompts
        # The demo is not empty: Camille is prompted, and the backlog is one catch-up each.
        camille = User.objects.get(username="camille")
        assert Notification.objects.filter(user=camille).count() >= 3
        for user in concierges.filter(username__in=["camille", "julien"]):
            catch_up = Reminder.objects.get(owner=user, kind="catch_up")
            assert catch_up.items.count() >= 5  # what would have been a flood
            assert Notification.objects.filter(reminder=catch_up).count() == 1

        # No subject has two open prompts (items of a catch-up included).
        subjects = Counter(r.subject_key for r in Reminder.objects.live().exclude(kind="catch_up"))
        assert [s for s, n in subjects.items() if n > 1] == []

        before = (Reminder.objects.count(), Notification.objects.count(), len(mailoutbox))
        beat_runs_once()
        assert (Reminder.objects.count(), Notification.objects.count(), len(mailoutbox)) == before

"""A few hand-set reminders for the demo concierge, so the agenda has something on the first visit;
the sweep (on beat, every few minutes) adds the rest."""

import datetime

from django.utils import timezone

from clients.models import Client

from .models import Reminder


def seed_reminders(*, concierges: list) -> int:
    if not concierges:
        return 0
    camille = concierges[0]
    clients = list(Client.objects.filter(primary_concierge=camille).order_by("pk")[:3])
    if not clients:
        return 0
    now = timezone.now()
    wanted = [
        (
            "demo:call-back",
            clients[0],
            "Call back about the anniversary dinner",
            now - datetime.timedelta(minutes=20),
        ),
        (
            "demo:passport",
            clients[-1],
            "Ask for the passport numbers",
            now + datetime.timedelta(hours=2),
        ),
    ]
    reminders = [
        Reminder(
            owner=camille,
            created_by=camille,
            client=client,
            kind=Reminder.Kind.MANUAL,
            note=title,
            due_at=due,
            dedupe_key=key,
        )
        for key, client, title, due in wanted
    ]
    before = Reminder.objects.filter(dedupe_key__startswith="demo:").count()
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return Reminder.objects.filter(dedupe_key__startswith="demo:").count() - before

"""A few hand-set reminders for the demo concierge, so the agenda has something on the first visit;
the sweep (on beat, every few minutes) adds the rest."""

import datetime

from django.db.models import Max
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


def seed_calls_owed(*, concierges: list, per_concierge: int = 2) -> int:
    """Calls owed this morning by each demo concierge, so the agenda's "calls owed" is not empty on
    the first visit: the clients longest without news, keyed as the cadence sweep keys them (the
    sweep then adds no second prompt for the same silence)."""
    now = timezone.now()
    created = 0
    for concierge in concierges:
        quiet = (
            Client.objects.filter(primary_concierge=concierge, status=Client.Status.ACTIVE)
            .annotate(last_contact=Max("interactions__occurred_at"))
            .filter(last_contact__isnull=False)
            .exclude(reminders__kind=Reminder.Kind.CADENCE)
            .order_by("last_contact", "pk")[:per_concierge]
        )
        morning = datetime.datetime.combine(
            now.astimezone(concierge.tzinfo).date(), datetime.time(9), tzinfo=concierge.tzinfo
        )
        reminders = [
            Reminder(
                owner=concierge,
                client=client,
                kind=Reminder.Kind.CADENCE,
                occurrence=client.last_contact.astimezone(concierge.tzinfo).date(),
                due_at=min(morning, now),
                dedupe_key=f"cadence:{client.pk}:{client.last_contact.date().isoformat()}",
            )
            for client in quiet
        ]
        created += len(Reminder.objects.bulk_create(reminders, ignore_conflicts=True))
    return created

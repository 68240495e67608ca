"""What a concierge does with reminders: set one by hand, snooze, mark done, dismiss; and moving
them with a client who changes concierge."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from clients.dates import local_moment

from .models import Reminder

SNOOZES = ("hour", "tomorrow", "next_week")


def snooze_until(option: str, *, tz, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    local_today = now.astimezone(tz).date()
    if option == "hour":
        return now + datetime.timedelta(hours=1)
    if option == "tomorrow":
        return local_moment(local_today + datetime.timedelta(days=1), tz)
    if option == "next_week":
        return local_moment(local_today + datetime.timedelta(days=7 - local_today.weekday()), tz)
    raise ValueError(option)


def reminder_create(
    *, owner, by, title: str, due_at, client=None, service_request=None, body: str = ""
) -> Reminder:
    return Reminder.objects.create(
        owner=owner,
        created_by=by,
        client=client,
        service_request=service_request,
        kind=Reminder.Kind.MANUAL,
        title=title,
        body=body,
        due_at=due_at,
        dedupe_key=f"manual:{uuid.uuid4().hex}",
    )


@transaction.atomic
def reminder_snooze(*, reminder: Reminder, option: str, now=None) -> Reminder:
    locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
    locked.due_at = snooze_until(option, tz=locked.owner.tzinfo, now=now)
    locked.state = Reminder.State.SNOOZED
    locked.notified_at = None  # it prompts again, once, at the new time
    locked.save(update_fields=["due_at", "state", "notified_at"])
    return locked


@transaction.atomic
def reminder_close(*, reminder: Reminder, state: str) -> Reminder:
    assert state in (Reminder.State.DONE, Reminder.State.DISMISSED)
    locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
    locked.state, locked.closed_at = state, timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    return locked


def reminders_reassign(*, client, previous_owner, new_owner) -> int:
    """A client's open reminders follow the client to their new concierge."""
    if new_owner is None or previous_owner == new_owner:
        return 0
    return (
        Reminder.objects.live().filter(client=client, owner=previous_owner).update(owner=new_owner)
    )


def cadence_settle(*, client) -> int:
    """A call or a meeting logged with the client settles the calls owed to them."""
    return (
        Reminder.objects.live()
        .filter(client=client, kind=Reminder.Kind.CADENCE)
        .update(state=Reminder.State.DONE, closed_at=timezone.now())
    )

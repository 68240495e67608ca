"""What a concierge does with reminders: set one by hand, snooze, mark done, dismiss; and moving
them with a client who changes concierge."""

import datetime
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clients.dates import local_moment
from requests.models import OPEN_STATUSES

from .models import Notification, Reminder

SNOOZES = ("hour", "tomorrow", "next_week")


def snooze_until(
    option: str,
    *,
    tz,
    now: datetime.datetime | None = None,
    due_at: datetime.datetime | None = None,
) -> datetime.datetime:
    """When a snoozed reminder comes back: counted from the later of now and its due time, so that
    snoozing never brings a reminder earlier."""
    now = now or timezone.now()
    start = max(now, due_at) if due_at else now
    local_day = start.astimezone(tz).date()
    if option == "hour":
        return start + datetime.timedelta(hours=1)
    if option == "tomorrow":
        return local_moment(local_day + datetime.timedelta(days=1), tz)
    if option == "next_week":
        return local_moment(local_day + datetime.timedelta(days=7 - local_day.weekday()), tz)
    raise ValueError(option)


def reminder_create(
    *, owner, by, title: str, due_at, client=None, service_request=None
) -> Reminder:
    """A reminder set by hand: the words are the person's own (its note)."""
    return Reminder.objects.create(
        owner=owner,
        created_by=by,
        client=client,
        service_request=service_request,
        kind=Reminder.Kind.MANUAL,
        note=title,
        due_at=due_at,
        dedupe_key=f"manual:{uuid.uuid4().hex}",
    )


@transaction.atomic
def reminder_snooze(*, reminder: Reminder, option: str, now=None) -> Reminder:
    locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
    locked.due_at = snooze_until(option, tz=locked.owner.tzinfo, now=now, due_at=locked.due_at)
    locked.state = Reminder.State.SNOOZED
    locked.notified_at = None  # it prompts again, once, at the new time
    locked.catch_up = None  # taken out of a catch-up list, it prompts on its own
    locked.save(update_fields=["due_at", "state", "notified_at", "catch_up"])
    Notification.objects.filter(reminder=locked, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return locked


@transaction.atomic
def reminder_close(*, reminder: Reminder, state: str) -> Reminder:
    """Done or dismissed: its notifications are read; a catch-up closes the items it lists."""
    assert state in (Reminder.State.DONE, Reminder.State.DISMISSED)
    locked = Reminder.objects.select_for_update().get(pk=reminder.pk)
    now = timezone.now()
    ids = [locked.pk]
    if locked.is_catch_up:
        ids += list(Reminder.objects.filter(catch_up=locked).live().values_list("pk", flat=True))
    close(ids, state, now)
    locked.refresh_from_db()
    return locked


def close(ids: list[int], state: str, now: datetime.datetime) -> int:
    """Close these reminders and mark their notifications read: nothing is left to act on."""
    if not ids:
        return 0
    Notification.objects.filter(reminder_id__in=ids, read_at__isnull=True).update(read_at=now)
    return Reminder.objects.filter(pk__in=ids).live().update(state=state, closed_at=now)


def close_settled(now: datetime.datetime | None = None, **scope) -> int:
    """Close the live reminders that no longer matter (see relevance), then the catch-ups left with
    nothing that matters. The sweep, the cadence settling and the delivery share this one rule."""
    now = now or timezone.now()
    closed = 0
    kinds = Reminder.objects.live()
    for live in (
        kinds.exclude(kind=Reminder.Kind.CATCH_UP).filter(**scope),
        kinds.filter(kind=Reminder.Kind.CATCH_UP),
    ):
        settled = live.exclude(pk__in=live.that_matter(now).values("pk"))
        # Due soon, once the due time passes, is not settled but replaced (by the overdue prompt).
        replaced = settled.filter(
            kind=Reminder.Kind.DUE_SOON,
            service_request__status__in=OPEN_STATUSES,
            service_request__due_at=F("for_due_at"),
        ).values_list("pk", flat=True)
        closed += close(list(replaced), Reminder.State.SUPERSEDED, now)
        closed += close(list(settled.values_list("pk", flat=True)), Reminder.State.DONE, now)
    return closed


def reminders_reassign(*, client, previous_owner, new_owner) -> int:
    """A client's open reminders follow the client to their new concierge."""
    if new_owner is None or previous_owner == new_owner:
        return 0
    return (
        Reminder.objects.live().filter(client=client, owner=previous_owner).update(owner=new_owner)
    )


def cadence_settle(*, client) -> int:
    """A call or a meeting logged with the client settles the calls owed to them (by the same rule
    as everything else: a call owed no longer matters once a contact is logged after it)."""
    return close_settled(client=client, kind=Reminder.Kind.CADENCE)

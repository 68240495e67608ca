"""What a concierge does with reminders: set one by hand, snooze, mark done, dismiss; and moving
them with a client who changes concierge."""

import datetime
import uuid

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from clients.dates import local_moment
from requests.models import OPEN_STATUSES

from ..accounts.models import User
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


_K = Reminder.Kind
# The kinds judged together (each query joins only what their reasons read), catch-ups last:
# they are about the others. Every kind but the prompts set by hand, which always matter.
SETTLED_TOGETHER = [
    [_K.IMPORTANT_DATE],
    [_K.CADENCE, _K.HANDOVER],
    [
        k
        for k in _K
        if k not in {_K.CATCH_UP, _K.MANUAL, _K.IMPORTANT_DATE, _K.CADENCE, _K.HANDOVER}
    ],
    [_K.CATCH_UP],
]


def close_settled(now: datetime.datetime | None = None, **scope) -> int:
    """Close the live reminders that no longer matter (see relevance), then the catch-ups left with
    nothing that matters. The sweep, the cadence settling and the delivery share this one rule."""
    from .relevance import settled_of_kinds

    now = now or timezone.now()
    closed = 0
    # A reminder set by hand always matters (relevance.matters): not read at all. The others are
    # judged a few kinds at a time, each query joining only its kinds' subjects.
    groups = [(kinds, scope) for kinds in SETTLED_TOGETHER[:-1]] + [(SETTLED_TOGETHER[-1], {})]
    for kinds, within in groups:
        settled = settled_of_kinds(kinds, now, **within)
        if not settled:
            continue
        # Due soon, once the due time passes, is not settled but replaced (by the overdue prompt).
        replaced = set(
            Reminder.objects.filter(
                pk__in=settled,
                kind=Reminder.Kind.DUE_SOON,
                service_request__status__in=OPEN_STATUSES,
                service_request__due_at=F("for_due_at"),
            ).values_list("pk", flat=True)
        )
        closed += close(list(replaced), Reminder.State.SUPERSEDED, now)
        done = [pk for pk in settled if pk not in replaced]
        closed += close(done, Reminder.State.DONE, now)
    return closed


def reminders_reassign(*, client, previous_owner, new_owner) -> int:
    """A client's open reminders follow the client to their new concierge."""
    if new_owner is None or previous_owner == new_owner:
        return 0
    return (
        Reminder.objects.live()
        .filter(client=client, owner=previous_owner)
        .exclude(kind__in=[Reminder.Kind.HANDOVER, Reminder.Kind.CATCH_UP])
        .update(owner=new_owner, catch_up=None)
    )


def _about(client_ids) -> Q:
    return Q(client_id__in=client_ids) | Q(
        client__isnull=True, service_request__client_id__in=client_ids
    )


def reminders_hand_over(*, clients, previous: dict, by, now=None) -> int:
    """After clients changed hands: their open prompts held by a concierge who no longer looks after
    them go to the new concierge (out of any catch-up, so that they prompt on their own); a handover
    prompt, delivered at once, leads the new concierge to each client's brief; earlier handover
    prompts of those who lost the client close. A fixed number of queries per new concierge."""
    now = now or timezone.now()
    ids = [c.pk for c in clients]
    stale = (
        Reminder.objects.live()
        .filter(kind=Reminder.Kind.HANDOVER, client_id__in=ids)
        .exclude(owner_id=F("client__primary_concierge_id"))
    )
    close(list(stale.values_list("pk", flat=True)), Reminder.State.SUPERSEDED, now)
    by_primary: dict[int, list[int]] = {}
    for client in clients:
        if client.primary_concierge_id:
            by_primary.setdefault(client.primary_concierge_id, []).append(client.pk)
    moved = 0
    for owner_id, client_ids in by_primary.items():
        moved += (
            Reminder.objects.live()
            .filter(_about(client_ids), owner__role=User.Role.CONCIERGE)
            .exclude(kind__in=[Reminder.Kind.HANDOVER, Reminder.Kind.CATCH_UP])
            .exclude(owner_id=owner_id)
            .exclude(owner_id=F("client__backup_concierge_id"))
            .update(owner_id=owner_id, catch_up=None)
        )
    handovers = Reminder.objects.bulk_create(
        [
            Reminder(
                owner_id=client.primary_concierge_id,
                client_id=client.pk,
                kind=Reminder.Kind.HANDOVER,
                due_at=now,
                notified_at=now,
                created_by=by,
                dedupe_key=f"handover:{client.pk}:{client.primary_concierge_id}:{uuid.uuid4().hex}",
            )
            for client in clients
            if client.primary_concierge_id and client.primary_concierge_id != previous[client.pk][0]
        ]
    )
    Notification.objects.bulk_create(
        [
            Notification(user_id=r.owner_id, reminder=r, for_due_at=now, created_at=now)
            for r in handovers
        ]
    )
    return moved


def cadence_settle(*, client) -> int:
    """A call or a meeting logged with the client settles the calls owed to them (by the same rule
    as everything else: a call owed no longer matters once a contact is logged after it)."""
    return close_settled(client=client, kind=Reminder.Kind.CADENCE)

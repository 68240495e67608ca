"""Delivering due reminders: an in-app notification exactly once, then an email (retried until sent).

Rows are claimed under a lock (SKIP LOCKED on PostgreSQL), so parallel workers never take the same
reminder; the notification and `notified_at` are written in one transaction, so a worker that dies
before commit leaves the reminder due for the next run, and one that dies after leaves it delivered.
A run takes at most `REMINDER_DELIVERY_MAX_BATCHES` batches (the next run takes the rest), judges a
whole batch's relevance in one query, and sends emails only after the batch has committed.
Each notification's email is sent from its row (see outbox.py): one Message-ID, a lease while it is
sent, retried with a back-off until it goes or is given up and shown.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clients.models import Client

from ..accounts.models import away_now, stand_in_id
from . import outbox
from .models import Notification, Reminder
from .relevance import still_matters
from .wording import catch_up_items, reading_as

log = logging.getLogger(__name__)


def deliver_due(now=None, batch: int | None = None, max_batches: int | None = None) -> int:
    """Deliver due reminders, a batch per transaction; returns how many were delivered."""
    batch = batch or settings.REMINDER_DELIVERY_BATCH
    max_batches = max_batches or settings.REMINDER_DELIVERY_MAX_BATCHES
    delivered = 0
    for _run in range(max_batches):
        moment = now or timezone.now()
        count = deliver_batch(moment, batch)
        if count is None:
            break
        delivered += count
        send_pending_emails()
    send_pending_emails()
    return delivered


def claim_due(moment: datetime.datetime, size: int):
    """The next `size` due reminders, locked, in due order: read from the partial index of what is
    due and undelivered (`reminder_due_undelivered`), never by sorting the backlog."""
    return (
        Reminder.objects.due(moment)
        .select_for_update(skip_locked=True, of=("self",))
        .only("pk", "kind", "owner_id", "client_id", "due_at", "state", "notified_at", "closed_at")
        .order_by("due_at", "id")[:size]
    )


def deliver_batch(moment: datetime.datetime, size: int) -> int | None:
    """Claim up to `size` due reminders and notify those that still matter (a fixed number of
    queries, whatever `size`); None when nothing was due."""
    with transaction.atomic():
        claimed = list(claim_due(moment, size))
        if not claimed:
            return None
        matter = still_matters(claimed, moment)
        recipients = _recipients(claimed, moment)
        notifications = []
        settled = []
        for reminder in claimed:
            reminder.notified_at = moment
            if reminder.pk not in matter:
                # Its reason went away since the sweep: closed, not delivered.
                reminder.state, reminder.closed_at = Reminder.State.DONE, moment
                settled.append(reminder.pk)
                continue
            notifications.append(
                Notification(
                    user_id=recipients[reminder.pk],
                    reminder=reminder,
                    for_due_at=reminder.due_at,
                    created_at=moment,
                    next_attempt_at=moment,  # its email is due at once
                )
            )
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        # Two plain UPDATEs (all claimed delivered now; those settled closed), not a CASE per row.
        Reminder.objects.filter(pk__in=[r.pk for r in claimed]).update(notified_at=moment)
        if settled:
            Reminder.objects.filter(pk__in=settled).update(
                state=Reminder.State.DONE, closed_at=moment
            )
            Notification.objects.filter(reminder_id__in=settled, read_at__isnull=True).update(
                read_at=moment
            )
    return len(notifications)


def _recipients(reminders: list[Reminder], moment: datetime.datetime) -> dict[int, int]:
    """Who each reminder goes to: its owner, or their stand-in while they are away (the named
    colleague, else the client's backup). Two queries at most, whatever the batch."""
    away = away_now(moment)
    covered = [r for r in reminders if r.owner_id in away]
    backups = (
        dict(
            Client.objects.filter(pk__in={r.client_id for r in covered if r.client_id}).values_list(
                "pk", "backup_concierge_id"
            )
        )
        if covered
        else {}
    )
    return {r.pk: stand_in_id(away, r.owner_id, backups.get(r.client_id)) for r in reminders}


def send_pending_emails(limit: int | None = None) -> int:
    """Email the notifications whose email is due, oldest first; returns how many went. A
    notification read before its email went (done on the agenda already) is not emailed."""
    return outbox.send_due(
        Notification,
        _compose,
        since_field="created_at",
        related=["user"],
        limit=limit,
        prepare=_prepare,
    )


def _prepare(notifications: list[Notification]) -> None:
    """What a batch of emails is composed from, read together: their reminders, and which of them
    each reader may still see (one query per reader, narrowed to the clients concerned)."""
    reminders = {
        r.pk: r
        for r in Reminder.objects.for_reading()
        .select_related("owner")
        .filter(pk__in=[n.reminder_id for n in notifications])
    }
    by_user: dict[int, list[Notification]] = {}
    for notification in notifications:
        by_user.setdefault(notification.user_id, []).append(notification)
    visible: set[int] = set()
    for batch in by_user.values():
        about = [reminders.get(n.reminder_id) for n in batch]
        clients = {r.client_id or _request_client_id(r) for r in about if r is not None}
        visible |= set(
            Reminder.objects.visible_to(batch[0].user, about_clients=clients)
            .filter(pk__in=[n.reminder_id for n in batch])
            .values_list("pk", flat=True)
        )
    for notification in notifications:
        notification._prepared = (
            reminders.get(notification.reminder_id),
            notification.reminder_id in visible,
        )


def _request_client_id(reminder: Reminder) -> int | None:
    return reminder.service_request.client_id if reminder.service_request_id else None


def _compose(notification: Notification, now: datetime.datetime) -> EmailMultiAlternatives:
    if not notification.user.email or notification.read_at is not None:
        raise outbox.Skip
    if not hasattr(notification, "_prepared"):
        _prepare([notification])
    reminder, visible = notification._prepared
    if reminder is None or not visible:
        raise outbox.Skip  # the client changed hands since: nothing of them goes to the former one
    return notification_email(notification, reminder)


def notification_email(
    notification: Notification, reminder: Reminder | None = None
) -> EmailMultiAlternatives:
    """The email for a notification, composed now in its reader's language and time zone."""
    user = notification.user
    if reminder is None:
        reminder = (
            Reminder.objects.for_reading().select_related("owner").get(pk=notification.reminder_id)
        )
    base = settings.SITE_URL.rstrip("/")
    with reading_as(user):
        context = {
            "user": user,
            "reminder": reminder,
            "title": reminder.title,
            "detail": reminder.detail,
            "items": catch_up_items(reminder) if reminder.is_catch_up else [],
            "more": max(0, len(catch_up_items(reminder, None)) - len(catch_up_items(reminder)))
            if reminder.is_catch_up
            else 0,
            "url": base + reminder.get_absolute_url(),
            "agenda_url": base + "/agenda/",
            "site_url": base,
        }
        subject = " ".join(
            render_to_string("concierge/email/notification-subject.txt", context).split()
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("concierge/email/notification.txt", context),
            to=[user.email],
            headers={"Message-ID": outbox.message_id("notification", notification.pk)},
        )
        message.attach_alternative(
            render_to_string("concierge/email/notification.html", context), "text/html"
        )
    return message

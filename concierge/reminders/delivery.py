"""Delivering due reminders: an in-app notification exactly once, then an email (retried until sent).

Rows are claimed under a lock (SKIP LOCKED on PostgreSQL), so parallel workers never take the same
reminder; the notification and `notified_at` are written in one transaction, so a worker that dies
before commit leaves the reminder due for the next run, and one that dies after leaves it delivered.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clients.models import AnticipatedNeed, ImportantDate
from requests.models import OPEN_STATUSES, Status, VendorUse

from .models import Notification, Reminder

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 6


def still_relevant(reminder: Reminder) -> bool:
    """A system reminder whose reason went away since the sweep is closed, not delivered."""
    sr = reminder.service_request
    key = reminder.dedupe_key
    if reminder.kind == Reminder.Kind.NOT_ACKNOWLEDGED:
        return sr is not None and sr.status == Status.NEW
    if reminder.kind in (Reminder.Kind.DUE_SOON, Reminder.Kind.OVERDUE):
        # The key carries the due date it was made for: a request moved to a later date is not late.
        return (
            sr is not None
            and sr.status in OPEN_STATUSES
            and sr.due_at is not None
            and sr.due_at.strftime("%Y%m%d%H%M") == key.rsplit(":", 1)[-1]
        )
    if reminder.kind == Reminder.Kind.FOLLOW_UP:
        return sr is not None and sr.status == Status.FULFILLED
    if reminder.kind == Reminder.Kind.EXPIRY:
        use_id = key.split(":")[1]
        return VendorUse.objects.filter(
            pk=use_id, stage__in=[VendorUse.Stage.QUOTED, VendorUse.Stage.HELD]
        ).exists()
    if reminder.kind == Reminder.Kind.IMPORTANT_DATE and key.startswith("date:"):
        _prefix, pk, occurrence = key.split(":", 2)
        item = ImportantDate.objects.filter(pk=pk).first()
        return item is not None and item.next_occurrence(
            datetime.date.fromisoformat(occurrence)
        ) == datetime.date.fromisoformat(occurrence)
    if reminder.kind == Reminder.Kind.ANTICIPATED_NEED and key.startswith("need:"):
        _prefix, pk, day = key.split(":", 2)
        return AnticipatedNeed.objects.filter(
            pk=pk, state=AnticipatedNeed.State.ACTIVE, next_on=day
        ).exists()
    return True


def deliver_due(now=None, batch: int | None = None) -> int:
    """Deliver every due reminder, a batch per transaction; returns how many were delivered."""
    batch = batch or getattr(settings, "REMINDER_DELIVERY_BATCH", 50)
    delivered = 0
    while True:
        moment = now or timezone.now()
        with transaction.atomic():
            claimed = list(
                Reminder.objects.due(moment)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("owner", "client", "service_request")
                .order_by("due_at", "id")[:batch]
            )
            if not claimed:
                break
            notifications = []
            for reminder in claimed:
                reminder.notified_at = moment
                if not still_relevant(reminder):
                    reminder.state, reminder.closed_at = Reminder.State.DONE, moment
                    continue
                notifications.append(
                    Notification(
                        user=reminder.owner,
                        reminder=reminder,
                        for_due_at=reminder.due_at,
                        title=reminder.title,
                        body=reminder.body,
                        url=reminder.get_absolute_url(),
                        created_at=moment,
                    )
                )
            Notification.objects.bulk_create(notifications, ignore_conflicts=True)
            Reminder.objects.bulk_update(claimed, ["notified_at", "state", "closed_at"])
        delivered += len(notifications)
        send_pending_emails()
    send_pending_emails()
    return delivered


def send_pending_emails(limit: int = 200) -> int:
    """Email the notifications not emailed yet; a failed send stays pending and is tried again later."""
    sent = 0
    pending = Notification.objects.filter(
        emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS
    ).select_related("user")
    now = timezone.now()
    for notification in pending.order_by("id")[:limit]:
        attempts = notification.email_attempts
        # After a failure, wait 2, 4, 8… minutes (from the notification's creation) before trying again.
        if attempts and notification.created_at > now - datetime.timedelta(minutes=2**attempts):
            continue
        # Claim it: of two workers, only the one whose update matches the attempt count sends.
        if not Notification.objects.filter(
            pk=notification.pk, emailed_at__isnull=True, email_attempts=attempts
        ).update(email_attempts=F("email_attempts") + 1):
            continue
        if not notification.user.email:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            continue
        try:
            send_mail(
                subject=notification.title,
                message=_email_body(notification),
                from_email=None,
                recipient_list=[notification.user.email],
            )
        except Exception:
            log.warning(
                "email for notification %s failed (attempt %s)",
                notification.pk,
                attempts + 1,
                exc_info=True,
            )
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _email_body(notification: Notification) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [notification.title, ""]
    if notification.body:
        lines += [notification.body, ""]
    if notification.url:
        lines.append(f"{base}{notification.url}")
    return "\n".join(lines)

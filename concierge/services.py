import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat, Notification


def heartbeat_record(*, name: str) -> None:
    now = timezone.now()
    if not Heartbeat.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1):
        Heartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})


# Notifications, the calendar feed and tier policies (agenda screens).
def notification_open(*, notification) -> None:
    """Mark one notification read (a second open changes nothing)."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def calendar_token_issue(*, user) -> str:
    """A new secret for the user's calendar feed; the previous URL stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])


def tier_policies_save(*, policies) -> None:
    """Save the edited policy of each tier together: all of them or none."""
    with transaction.atomic():
        for policy in policies:
            policy.save()

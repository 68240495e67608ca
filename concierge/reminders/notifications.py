"""In-app notifications: opening one, marking all read."""

from django.utils import timezone

from .models import Notification


def notification_open(*, notification: Notification) -> None:
    """Mark one notification read (a second open changes nothing)."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )

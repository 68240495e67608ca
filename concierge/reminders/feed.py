"""The private calendar feed: which reminders it carries, as events, and the secret in its URL."""

import datetime
import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from . import ical
from .models import Reminder
from .wording import catch_up_items

PAST = datetime.timedelta(days=7)
AHEAD = datetime.timedelta(days=90)
EVENT_LENGTH = datetime.timedelta(minutes=15)
MAX_EVENTS = 2000


def feed_reminders(user, now: datetime.datetime):
    """The user's own live reminders that still matter, due from a week ago to three months ahead
    (items of a catch-up are in it, not events of their own)."""
    return (
        Reminder.objects.actionable_by(user, now)
        .filter(due_at__gte=now - PAST, due_at__lte=now + AHEAD, catch_up__isnull=True)
        .live()
        .that_matter(now)
        .for_reading()
        .order_by("due_at", "id")[:MAX_EVENTS]
    )


def feed_event(reminder: Reminder, link: str) -> ical.Event:
    """One event, in the active language (the feed is read with its owner's)."""
    detail = reminder.detail
    lines = [detail] if detail else []
    if reminder.is_catch_up:
        lines += [f"- {item.title}" for item in catch_up_items(reminder)]
    if reminder.client_id:
        lines.append(_("Client: %(name)s") % {"name": reminder.client.display_name})
    if reminder.service_request_id:
        lines.append(_("Request: %(title)s") % {"title": reminder.service_request.title})
    lines.append(link)
    return ical.Event(
        uid=f"reminder-{reminder.pk}@{settings.SITE_DOMAIN}",  # unique beyond this site
        start=reminder.due_at,
        duration=EVENT_LENGTH,
        summary=reminder.title,
        description="\n".join(lines),
        url=link,
    )


def calendar_token_issue(*, user) -> str:
    """A new secret for the user's calendar feed; the previous URL stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])

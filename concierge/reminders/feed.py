"""The private calendar feed: which reminders it carries, as events, and the secret in its URL."""

import datetime
import secrets

from django.utils.translation import gettext as _

from . import ical
from .models import Reminder

PAST = datetime.timedelta(days=7)
AHEAD = datetime.timedelta(days=90)
EVENT_LENGTH = datetime.timedelta(minutes=15)
MAX_EVENTS = 2000


def feed_reminders(user, now: datetime.datetime):
    """The user's own live reminders due from a week ago to three months ahead."""
    return (
        Reminder.objects.visible_to(user)
        .filter(owner=user, due_at__gte=now - PAST, due_at__lte=now + AHEAD)
        .live()
        .select_related("client", "service_request")
        .order_by("due_at", "id")[:MAX_EVENTS]
    )


def feed_event(reminder: Reminder, link: str) -> ical.Event:
    lines = [reminder.body] if reminder.body else []
    if reminder.client_id:
        lines.append(_("Client: %(name)s") % {"name": reminder.client.display_name})
    if reminder.service_request_id:
        lines.append(_("Request: %(title)s") % {"title": reminder.service_request.title})
    lines.append(link)
    return ical.Event(
        uid=f"{reminder.pk}@concierge",
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

"""Service levels: by client tier and request priority, a time to acknowledge and a due date."""

from datetime import timedelta

from clients.models import Client

from .choices import Priority

DUE_SOON = timedelta(hours=24)

ACKNOWLEDGE_WITHIN = {
    Client.Tier.PRIVATE: timedelta(minutes=30),
    Client.Tier.PREMIUM: timedelta(hours=2),
    Client.Tier.ESSENTIAL: timedelta(hours=8),
}
DELIVER_WITHIN = {
    Client.Tier.PRIVATE: timedelta(hours=24),
    Client.Tier.PREMIUM: timedelta(hours=48),
    Client.Tier.ESSENTIAL: timedelta(hours=96),
}
PRIORITY_FACTOR = {
    Priority.URGENT: 0.25,
    Priority.HIGH: 0.5,
    Priority.NORMAL: 1.0,
    Priority.LOW: 2.0,
}


def acknowledge_by(*, tier: str, priority: str, created_at):
    return created_at + ACKNOWLEDGE_WITHIN[tier] * PRIORITY_FACTOR[priority]


def default_due(*, tier: str, priority: str, created_at, event_at=None):
    """The SLA due date, never later than the eve of the event itself."""
    due = created_at + DELIVER_WITHIN[tier] * PRIORITY_FACTOR[priority]
    if event_at is not None:
        due = min(due, max(created_at, event_at - timedelta(hours=24)))
    return due

"""Service levels: by client tier and request priority, a time to acknowledge and a due date.

The targets per tier are each team's (its tier policies, kept by the staff side, which registers
them with `register_targets`); these constants are the defaults.
"""

from collections.abc import Callable
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

# client -> (acknowledge within, deliver within), or None for the defaults; set by an upper layer.
_targets: Callable | None = None


def register_targets(provider: Callable) -> None:
    global _targets
    _targets = provider


def targets(*, tier: str, client=None) -> tuple[timedelta, timedelta]:
    found = _targets(client) if (_targets is not None and client is not None) else None
    return found or (ACKNOWLEDGE_WITHIN[tier], DELIVER_WITHIN[tier])


def acknowledge_by(*, tier: str, priority: str, created_at, client=None):
    within, _deliver = targets(tier=tier, client=client)
    return created_at + within * PRIORITY_FACTOR[priority]


def default_due(*, tier: str, priority: str, created_at, event_at=None, client=None):
    """The SLA due date, never later than the eve of the event itself."""
    _ack, within = targets(tier=tier, client=client)
    due = created_at + within * PRIORITY_FACTOR[priority]
    if event_at is not None:
        due = min(due, max(created_at, event_at - timedelta(hours=24)))
    return due

"""The `concierge` app's model registry: each model lives in the package it belongs to."""

from .accounts.models import TIME_ZONE_CHOICES, Absence, Team, User
from .ops.models import Heartbeat, Outage
from .reminders.models import DigestSent, Notification, Reminder, TierPolicy

__all__ = [
    "Absence",
    "TIME_ZONE_CHOICES",
    "DigestSent",
    "Heartbeat",
    "Notification",
    "Outage",
    "Reminder",
    "Team",
    "TierPolicy",
    "User",
]

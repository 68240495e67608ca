from .reminders import DigestSent, Notification, Reminder, TierPolicy
from .users import TIME_ZONE_CHOICES, Heartbeat, Team, User

__all__ = [
    "TIME_ZONE_CHOICES",
    "DigestSent",
    "Heartbeat",
    "Notification",
    "Reminder",
    "Team",
    "TierPolicy",
    "User",
]

"""The request's vocabularies: its statuses (the workflow's states) and priorities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_ON_CLIENT = "waiting_on_client", _("Waiting on client")
    WAITING_ON_VENDOR = "waiting_on_vendor", _("Waiting on vendor")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = [
    Status.NEW,
    Status.ACKNOWLEDGED,
    Status.IN_PROGRESS,
    Status.WAITING_ON_CLIENT,
    Status.WAITING_ON_VENDOR,
]


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")

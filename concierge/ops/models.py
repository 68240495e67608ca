from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """The last run of each periodic task, so that a stalled beat or worker can be seen."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(default=timezone.now)
    runs = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"


class Outage(models.Model):
    """An outside service found failing (the mail server): since when, how many tries in a row,
    and when to try it again. No row, or no `retry_at`, while it works."""

    name = models.CharField(max_length=50, unique=True)
    since = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    def __str__(self):
        return f"{self.name}: {self.failures} failures since {self.since}"

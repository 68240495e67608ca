from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """The last run of each periodic task, so that a stalled beat or worker can be seen."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(default=timezone.now)
    runs = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"

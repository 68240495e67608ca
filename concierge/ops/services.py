from django.db.models import F
from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str) -> None:
    now = timezone.now()
    if not Heartbeat.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1):
        Heartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})

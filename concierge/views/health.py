"""/healthz: is the database reachable, is the broker, when did beat last run."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..ops import health
from ..ops.models import Heartbeat


@require_GET
@never_cache
@login_not_required
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    failing = [name for name, ok in checks.items() if not ok]
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    elif beat := Heartbeat.objects.filter(name="beat").first():
        body["beat_last_run_at"] = beat.last_run_at.isoformat()
    return JsonResponse(body, status=503 if failing else 200)

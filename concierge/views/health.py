"""/healthz: database, broker, cache and beat; an answer within HEALTH_TIMEOUT seconds, 503 naming
what fails."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..ops import health


@require_GET
@never_cache
@login_not_required
def healthz(request):
    # The outside services in threads with a deadline; the database in this one (its connection is
    # the request's).
    budget = max(settings.HEALTH_TIMEOUT - 0.5, 0.5)
    checks = health.within({"broker": health.broker_ok, "cache": health.cache_ok}, budget)
    checks["database"] = health.database_ok()
    last_run = health.beat_last_run() if checks["database"] else None
    checks["beat"] = checks["database"] and health.beat_ok(last_run)
    failing = [name for name in ("database", "broker", "cache", "beat") if not checks[name]]
    body = {
        "status": "ok" if not failing else "unavailable",
        "checks": checks,
        "beat_last_run_at": last_run.isoformat() if last_run else None,
    }
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)

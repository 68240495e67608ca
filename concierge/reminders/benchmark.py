"""The background half of `python manage.py bench`: the sweep (a first run, then a second that
finds nothing new) and delivery throughput on a backlog it makes, measured inside one transaction
that is rolled back, so the measured database is left as it was (commits inside are savepoints:
the figures leave out the commits' flush to disk)."""

import datetime
import time

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from ..accounts.models import User
from .delivery import deliver_due
from .models import Notification, Reminder
from .sweep import fresh_statistics, sweep

Kind = Reminder.Kind
# What a person or a handover made, and the calls owed (the hourly sweep's): kept as they are.
NOT_SWEPT = [Kind.MANUAL, Kind.HANDOVER, Kind.CADENCE]


class _Rollback(Exception):  # noqa: N818
    pass


def measure_background(*, backlogs: list[int], deliver: int) -> dict:
    results: dict = {}
    try:
        with (
            transaction.atomic(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        ):
            results["sweep"] = _sweep_twice()
            results["delivery"] = [_delivery(size, deliver) for size in backlogs]
            raise _Rollback
    except _Rollback:
        pass
    _clear_dead_rows()
    return results


def _clear_dead_rows() -> None:
    """On PostgreSQL, the rows the measure wrote and rolled back are vacuumed away: where autovacuum
    is off (as on the machine of the README's figures) each run left some 140,000 dead reminders,
    and the next run's sweep read them all (the sweep that creates nothing: 0.25 s on a vacuumed
    table at 100,000 clients, 0.5-0.7 s after two runs)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # VACUUM cannot run in a transaction (a test's, or a caller's)
    with connection.cursor() as cursor:
        for model in (Reminder, Notification):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def _timed(work) -> tuple[float, int]:
    start = time.perf_counter()
    count = work()
    return round(time.perf_counter() - start, 3), count


def _sweep_twice() -> dict:
    # A first sweep for real: what earlier sweeps made is taken away first (and put back after).
    _total, per_model = Reminder.objects.exclude(kind__in=NOT_SWEPT).delete()
    removed = per_model.get(Reminder._meta.label, 0)
    first_s, first_n = _timed(sweep)
    second_s, second_n = _timed(sweep)
    return {
        "removed_before": removed,
        "first": {"seconds": first_s, "created": first_n},
        "second": {"seconds": second_s, "created": second_n},
    }


def _delivery(size: int, deliver: int) -> dict:
    """Reminders per second while delivering `deliver` of a backlog of `size` (notification and
    email each), the backlog already due being set aside for the measure."""
    owner = User.objects.filter(is_active=True).exclude(email="").order_by("pk").first()
    if owner is None:
        return {"backlog": size, "delivered": 0, "seconds": 0, "per_second": 0}
    try:
        with transaction.atomic():
            now = timezone.now()
            Reminder.objects.due(now).update(notified_at=now)
            Notification.objects.filter(next_attempt_at__isnull=False).update(next_attempt_at=None)
            Reminder.objects.bulk_create(
                (
                    Reminder(
                        owner=owner,
                        note=f"bench {n}",
                        due_at=now - datetime.timedelta(minutes=5, seconds=n),
                        dedupe_key=f"bench:{now.isoformat()}:{n}",
                    )
                    for n in range(size)
                ),
                batch_size=2000,
            )
            # As after a sweep that made as many: read on statistics that did not know the backlog,
            # the check of who may read each batch walked every client-less reminder (16 ms a
            # batch at 100,000 instead of 0.1 ms).
            fresh_statistics(size)
            batch = min(50, deliver)  # the delivery batch by default
            seconds, delivered = _timed(
                lambda: deliver_due(batch=batch, max_batches=-(-min(deliver, size) // batch))
            )
            result = {
                "backlog": size,
                "delivered": delivered,
                "seconds": seconds,
                "per_second": round(delivered / seconds, 1) if seconds else 0,
            }
            raise _Rollback
    except _Rollback:
        pass
    return result

"""Delivery does work proportional to what it delivers: a batch costs the same queries whatever the
backlog, and on PostgreSQL the claim reads the due reminders from an index, in due order, without
sorting the backlog."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.models import Notification, Reminder
from concierge.reminders.delivery import claim_due, deliver_due

BATCH = 20


def backlog(owner, count: int, *, delivered: int = 0) -> None:
    """`count` reminders due (oldest first by a second each), and `delivered` ones already sent."""
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(
                owner=owner,
                note=f"due {n}",
                due_at=now - datetime.timedelta(minutes=5, seconds=n),
                dedupe_key=f"due:{n}",
            )
            for n in range(count)
        ]
        + [
            Reminder(
                owner=owner,
                note=f"sent {n}",
                due_at=now - datetime.timedelta(days=1, seconds=n),
                notified_at=now,
                dedupe_key=f"sent:{n}",
            )
            for n in range(delivered)
        ],
        batch_size=2000,
    )


def queries_of_one_batch() -> int:
    with CaptureQueriesContext(connection) as queries:
        assert deliver_due(batch=BATCH, max_batches=1) == BATCH
    return len(queries.captured_queries)


def test_a_batch_costs_the_same_queries_on_a_backlog_of_2_or_10_batches(concierge, mailoutbox):
    backlog(concierge, 2 * BATCH)
    small = queries_of_one_batch()
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    mailoutbox.clear()
    backlog(concierge, 10 * BATCH)
    large = queries_of_one_batch()
    assert large == small, f"{small} queries on a backlog of {2 * BATCH}, {large} on {10 * BATCH}"
    # Each delivered reminder was emailed, and only those.
    assert len(mailoutbox) == BATCH and Notification.objects.count() == BATCH


def test_emails_are_claimed_by_the_batch_not_one_by_one(concierge, mailoutbox):
    backlog(concierge, BATCH)
    with CaptureQueriesContext(connection) as queries:
        assert deliver_due(batch=BATCH, max_batches=1) == BATCH
    # The emails' claim is the UPDATE that counts an attempt: one for the batch, not one each.
    claims = [q["sql"] for q in queries.captured_queries if '"email_attempts" + 1' in q["sql"]]
    assert len(claims) == 1, claims
    assert len(mailoutbox) == BATCH


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the planner's choice is PostgreSQL's (DATABASE_URL); SQLite has no partial-index plan to check",
)
def test_the_claim_reads_the_due_index_in_order_without_sorting_the_backlog(concierge):
    backlog(concierge, 3000, delivered=20000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE concierge_reminder")
    plan = claim_due(timezone.now(), 50).explain()
    assert "reminder_due_undelivered" in plan, plan
    assert "Index Scan" in plan and "Sort" not in plan, plan
    assert "Seq Scan" not in plan, plan

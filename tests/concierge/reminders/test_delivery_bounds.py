"""A delivery run is bounded, and judges a whole batch's relevance in a fixed number of queries."""

import datetime

from django.utils import timezone

from concierge.models import Notification, Reminder
from concierge.reminders.delivery import deliver_batch, deliver_due
from concierge.reminders.relevance import still_matters
from requests.models import Status
from tests.factories import ClientFactory, ImportantDateFactory, ServiceRequestFactory


def mixed_reminders(owner, count):
    """Manual, request and date reminders, a third of them whose reason is gone."""
    past = timezone.now() - datetime.timedelta(minutes=5)
    client = ClientFactory(primary_concierge=owner)
    rows = []
    for n in range(count):
        if n % 3 == 0:
            rows.append(Reminder(owner=owner, note=f"n{n}", due_at=past, dedupe_key=f"m{n}"))
        elif n % 3 == 1:
            sr = ServiceRequestFactory(
                client=client, status=Status.ACKNOWLEDGED if n % 2 else Status.NEW
            )
            rows.append(
                Reminder(
                    owner=owner,
                    client=client,
                    service_request=sr,
                    kind="not_acknowledged",
                    due_at=past,
                    dedupe_key=f"a{n}",
                )
            )
        else:
            item = ImportantDateFactory(client=client, date=datetime.date(1980, 1, 1))
            rows.append(
                Reminder(
                    owner=owner,
                    client=client,
                    important_date=item,
                    occurrence=datetime.date(2099, 1, 1),
                    kind="important_date",
                    due_at=past,
                    dedupe_key=f"d{n}",
                )
            )
    Reminder.objects.bulk_create(rows)


def test_a_batch_of_5_or_50_costs_the_same_queries(concierge, django_assert_num_queries):
    mixed_reminders(concierge, 5)
    # 9: who is away is read once a batch (a stand-in receives what falls due meanwhile), and
    # those whose reason went are closed by their own UPDATE.
    with django_assert_num_queries(9) as few:
        deliver_batch(timezone.now(), 100)
    Reminder.objects.all().delete()
    mixed_reminders(concierge, 50)
    with django_assert_num_queries(len(few.captured_queries)):
        deliver_batch(timezone.now(), 100)
    # The relevance rule was applied: acknowledged requests were closed, not delivered.
    delivered = set(Notification.objects.values_list("reminder__kind", flat=True))
    assert delivered == {"manual", "not_acknowledged", "important_date"}
    assert Reminder.objects.filter(kind="not_acknowledged", state="done").exists()


def test_a_run_takes_at_most_its_batches_and_the_next_run_the_rest(concierge, settings):
    settings.REMINDER_DELIVERY_BATCH = 10
    settings.REMINDER_DELIVERY_MAX_BATCHES = 2
    past = timezone.now() - datetime.timedelta(minutes=5)
    Reminder.objects.bulk_create(
        Reminder(owner=concierge, note=f"n{n}", due_at=past, dedupe_key=f"n{n}") for n in range(45)
    )
    assert deliver_due() == 20
    assert deliver_due() == 20
    assert deliver_due() == 5
    assert deliver_due() == 0


def test_a_batch_of_manual_prompts_is_delivered_without_the_relevance_query(
    concierge, django_assert_num_queries
):
    past = timezone.now() - datetime.timedelta(minutes=5)
    Reminder.objects.bulk_create(
        Reminder(owner=concierge, note=f"n{n}", due_at=past, dedupe_key=f"n{n}") for n in range(30)
    )
    # A manual prompt's reason is the prompt itself: claimed, recipients, inserted, marked.
    with django_assert_num_queries(6) as queries:
        assert deliver_batch(timezone.now(), 100) == 30
    assert not any("CASE" in q["sql"] for q in queries.captured_queries)


def test_the_batch_judges_each_kind_as_the_agenda_does(concierge):
    mixed_reminders(concierge, 30)
    now = timezone.now()
    claimed = list(Reminder.objects.all())
    expected = set(Reminder.objects.that_matter(now).values_list("pk", flat=True))
    assert still_matters(claimed, now) == expected
    assert {r.kind for r in claimed if r.pk not in expected} == {"not_acknowledged"}

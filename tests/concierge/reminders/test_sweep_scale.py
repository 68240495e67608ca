"""A sweep's cost follows the new work, not the data: one that creates nothing runs the same queries
at N and at 3N clients (what is already reminded is left out in SQL, not loaded and discarded)."""

import datetime
import zoneinfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client, ImportantDate
from concierge.models import Reminder
from concierge.reminders import sweep as sweep_module
from concierge.reminders.sweep import sweep
from requests.models import ServiceRequest, Status

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2027, 6, 9, 12, tzinfo=PARIS)
BATCH = 20  # the sweep's insert batch, small so that a few dozen rows span several batches


def add_clients(concierge, count: int, start: int) -> None:
    """Clients with a birthday within the lead window (some late already), an overdue request
    and a request due soon each: every kind of candidate the sweep reads, at scale."""
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"Client{n}",
            last_name="Scale",
            tier="private",
            primary_concierge=concierge,
        )
        for n in range(start, start + count)
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(client=c, kind="birthday", date=datetime.date(1970, 6, 10 + n % 20))
        for n, c in enumerate(clients)
    )
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=c,
            title=f"Request {c.pk}",
            category="dining",
            status=Status.IN_PROGRESS,
            assignee=concierge,
            due_at=NOW + datetime.timedelta(hours=-3 if n % 2 else 5),
        )
        for n, c in enumerate(clients)
    )


def queries_of_a_sweep_that_creates_nothing() -> int:
    with time_machine.travel(NOW, tick=False):
        sweep()  # whatever is new
        with CaptureQueriesContext(connection) as queries:
            assert sweep() == 0
    return len(queries.captured_queries)


def test_a_sweep_that_creates_nothing_runs_as_many_queries_at_3n_clients_as_at_n(
    concierge, monkeypatch
):
    monkeypatch.setattr(sweep_module, "BATCH", BATCH)
    add_clients(concierge, 3 * BATCH, start=0)
    at_n = queries_of_a_sweep_that_creates_nothing()
    reminded = Reminder.objects.exclude(kind="catch_up").count()
    add_clients(concierge, 6 * BATCH, start=3 * BATCH)
    at_3n = queries_of_a_sweep_that_creates_nothing()
    # The data did grow, and was swept: three times the reminders.
    assert Reminder.objects.exclude(kind="catch_up").count() == 3 * reminded > 0
    assert at_3n == at_n, f"{at_n} queries at N clients, {at_3n} at 3N"


def test_a_date_moved_after_its_reminder_is_reminded_again_for_its_new_day(concierge):
    """Leaving reminded dates out must not leave out a date that changed since."""
    add_clients(concierge, 1, start=0)
    item = ImportantDate.objects.get()
    with time_machine.travel(NOW, tick=False):
        sweep()
        item.date = datetime.date(1970, 6, 12)
        item.save()
        sweep()
    occurrences = sorted(
        Reminder.objects.filter(kind="important_date").values_list("occurrence", flat=True)
    )
    assert occurrences == [datetime.date(2027, 6, 10), datetime.date(2027, 6, 12)]
    # The moved date's prompt replaced the first one (one live prompt per subject).
    assert Reminder.objects.filter(kind="important_date").live().get().occurrence == (
        datetime.date(2027, 6, 12)
    )


def test_a_request_whose_due_time_moves_gets_a_prompt_for_the_new_time(concierge):
    add_clients(concierge, 2, start=0)
    overdue = ServiceRequest.objects.get(due_at__lt=NOW)
    with time_machine.travel(NOW, tick=False):
        sweep()
        overdue.due_at = NOW - datetime.timedelta(hours=1)
        overdue.save()
        assert sweep() == 1
    assert Reminder.objects.filter(
        service_request=overdue, kind="overdue"
    ).live().get().for_due_at == (overdue.due_at)


def test_dates_already_reminded_are_left_out_in_sql_yearly_one_off_and_29_february(concierge):
    """After a sweep, the date source reads no candidate again (the unique key would discard
    them, but only after each was loaded and built): a yearly date, a one-off date, and a 29
    February birthday reminded on the 28th of a common year."""
    from concierge.reminders.sweep import important_date_reminders

    client = Client.objects.create(first_name="Léa", last_name="Date", tier="private")
    client.primary_concierge = concierge
    client.save()
    for kind, date in (
        ("birthday", datetime.date(1970, 3, 10)),
        ("custom", datetime.date(2027, 2, 25)),  # one-off (below)
        ("birthday", datetime.date(1972, 2, 29)),
    ):
        ImportantDate.objects.create(client=client, kind=kind, date=date, label="x")
    ImportantDate.objects.filter(kind="custom").update(yearly=False)
    now = datetime.datetime(2027, 2, 20, 12, tzinfo=PARIS)  # each within its lead
    with time_machine.travel(now, tick=False):
        assert sweep() == 3
        assert list(important_date_reminders(now)) == []

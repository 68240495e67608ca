"""The sweep creates each reminder once, at the right local time, whatever the calendar does."""

import datetime
import os
import subprocess
import sys
import zoneinfo

import pytest
import time_machine
from django.db import connection

from clients.models import AnticipatedNeed, Client, ImportantDate
from concierge.models import Reminder, TierPolicy
from concierge.reminders.policies import tier_policies
from concierge.reminders.sweep import sweep, sweep_cadence
from requests.models import Status, VendorUse
from tests.conftest import ROOT, database_url_for_tests, wait_for
from tests.factories import (
    ClientFactory,
    ImportantDateFactory,
    InteractionFactory,
    RelationFactory,
    ServiceRequestFactory,
    VendorFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC


def at(year, month, day, hour=12, minute=0, tz=PARIS):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def private_client(concierge):
    return ClientFactory(
        first_name="Éloïse", last_name="d'Harcourt", tier="private", primary_concierge=concierge
    )


def reminders(kind=None):
    qs = Reminder.objects.exclude(kind="catch_up")
    return list(qs.filter(kind=kind) if kind else qs)


# Lead times per tier
def test_a_birthday_prompts_at_09_00_local_lead_days_before(private_client):
    ImportantDateFactory(client=private_client, kind="birthday", date=datetime.date(1975, 6, 30))
    lead = tier_policies()["private"].birthday_lead_days  # 21
    remind_day = datetime.date(2027, 6, 30) - datetime.timedelta(days=lead)
    with time_machine.travel(at(2027, 5, 1), tick=False):
        assert sweep() == 0  # too early: outside the horizon
    with time_machine.travel(
        at(remind_day.year, remind_day.month, remind_day.day, 8, 0) - datetime.timedelta(days=1),
        tick=False,
    ):
        sweep()
    (reminder,) = reminders("important_date")
    assert reminder.due_at == at(remind_day.year, remind_day.month, remind_day.day, 9, 0)
    assert reminder.owner == private_client.primary_concierge
    assert reminder.title == "Birthday of Éloïse d'Harcourt on June 30"
    assert (reminder.important_date.date, reminder.occurrence) == (
        datetime.date(1975, 6, 30),
        datetime.date(2027, 6, 30),
    )


def test_lead_times_follow_the_tier_and_managers_can_change_them(concierge):
    essential = ClientFactory(tier="essential", primary_concierge=concierge)
    ImportantDateFactory(client=essential, kind="birthday", date=datetime.date(1980, 3, 20))
    with time_machine.travel(at(2027, 3, 10), tick=False):
        sweep()
        assert reminders() == []  # essential: 7 days ahead, not 10
        TierPolicy.objects.update_or_create(tier="essential", defaults={"birthday_lead_days": 12})
        sweep()
    (reminder,) = reminders()
    # Its 09:00 on the 8th had passed when first seen: listed in a catch-up, not sent as late.
    assert reminder.due_at == at(2027, 3, 8, 9)
    assert reminder.catch_up is not None and reminder.catch_up.kind == "catch_up"


def test_a_household_members_birthday_names_them(private_client):
    child = RelationFactory(client=private_client, kind="child", name="Victoire")
    ImportantDateFactory(
        client=private_client, relation=child, kind="birthday", date=datetime.date(2015, 4, 12)
    )
    with time_machine.travel(at(2027, 3, 22), tick=False):
        sweep()
    assert "Victoire" in reminders()[0].title


# 29 February
@pytest.mark.parametrize(("year", "expected_day"), [(2027, 28), (2028, 29)])
def test_a_29_february_birthday_is_on_the_28th_in_common_years(private_client, year, expected_day):
    ImportantDateFactory(client=private_client, kind="birthday", date=datetime.date(1972, 2, 29))
    with time_machine.travel(at(year, 2, expected_day - 22), tick=False):
        sweep()
    (reminder,) = reminders()
    occurrence = datetime.date(year, 2, expected_day)
    assert reminder.dedupe_key.endswith(occurrence.isoformat())
    assert reminder.due_at == at(year, 2, expected_day, 9, 0) - datetime.timedelta(days=21)


# Summer time in Europe/Paris
def test_a_prompt_on_the_day_after_the_spring_change_is_still_at_09_00_local(private_client):
    # Clocks go forward on Sunday 28 March 2027: 09:00 is 08:00 UTC before and 07:00 UTC after.
    ImportantDateFactory(
        client=private_client, kind="anniversary", label="Wedding", date=datetime.date(2001, 4, 8)
    )
    lead = tier_policies()["private"].date_lead_days  # 10 → 29 March
    with time_machine.travel(at(2027, 3, 28, 10), tick=False):
        sweep()
    (reminder,) = reminders()
    assert reminder.due_at.astimezone(PARIS).time() == datetime.time(9, 0)
    assert reminder.due_at.astimezone(UTC) == datetime.datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert lead == 10


def test_a_prompt_after_the_autumn_change_is_still_at_09_00_local(private_client):
    # Clocks go back on Sunday 31 October 2027.
    ImportantDateFactory(
        client=private_client, kind="anniversary", date=datetime.date(2001, 11, 11)
    )
    with time_machine.travel(at(2027, 10, 31, 10), tick=False):
        sweep()
    (reminder,) = reminders()
    assert reminder.due_at.astimezone(UTC) == datetime.datetime(2027, 11, 1, 8, 0, tzinfo=UTC)


def test_a_concierge_in_another_time_zone_is_prompted_at_their_09_00(private_client, concierge):
    concierge.time_zone = "America/New_York"
    concierge.save()
    ImportantDateFactory(client=private_client, kind="birthday", date=datetime.date(1975, 7, 22))
    with time_machine.travel(at(2027, 6, 30, 12), tick=False):
        sweep()
    (reminder,) = reminders()
    assert reminder.due_at == datetime.datetime(
        2027, 7, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )


# Requests
def test_request_reminders_acknowledge_due_soon_overdue_follow_up_and_expiry(
    private_client, concierge
):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False) as traveller:
        new = ServiceRequestFactory(client=private_client, status=Status.NEW)
        new.acknowledge_by = at(2027, 1, 10, 12, 30)
        new.due_at = at(2027, 1, 11, 9)
        new.save()
        fulfilled = ServiceRequestFactory(
            client=private_client, status=Status.FULFILLED, fulfilled_at=at(2027, 1, 10, 8)
        )
        held = ServiceRequestFactory(
            client=private_client, status=Status.IN_PROGRESS, due_at=at(2027, 1, 20)
        )
        VendorUse.objects.create(
            service_request=held,
            vendor=VendorFactory(),
            stage="held",
            expires_at=at(2027, 1, 10, 18),
        )
        sweep()
        kinds = sorted(r.kind for r in reminders())
        # One prompt per request: not acknowledged yet and due within 24 hours, it is "due soon".
        assert kinds == ["due_soon", "expiry", "follow_up"]
        assert Reminder.objects.get(kind="due_soon").for_due_at == new.due_at
        assert Reminder.objects.get(kind="follow_up").due_at == at(
            2027, 1, 10, 20
        )  # private: 12 h after
        assert Reminder.objects.get(kind="expiry").due_at == at(2027, 1, 10, 16)
        traveller.shift(datetime.timedelta(minutes=1))
        assert sweep() == 0
        assert fulfilled.pk


def test_acknowledging_settles_the_not_acknowledged_reminder(private_client, concierge):
    from requests.workflow import service_request_transition

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        sr = ServiceRequestFactory(
            client=private_client, status=Status.NEW, acknowledge_by=at(2027, 1, 10, 12, 30)
        )
        sweep()
        service_request_transition(service_request_id=sr.pk, to_status="acknowledged", by=concierge)
        sweep()
    assert Reminder.objects.get(kind="not_acknowledged").state == "done"


# Anticipated needs
def test_an_anticipated_need_prompts_lead_days_before_and_rolls_to_next_year(private_client):
    need = AnticipatedNeed.objects.create(
        client=private_client,
        title="February ski trip to Courchevel",
        next_on=datetime.date(2027, 2, 10),
        lead_days=30,
    )
    with time_machine.travel(at(2027, 1, 10, 8), tick=False):
        sweep()
    (reminder,) = reminders()
    assert reminder.due_at == at(2027, 1, 11, 9)
    with time_machine.travel(at(2027, 2, 11, 8), tick=False):
        sweep()
    need.refresh_from_db()
    assert need.next_on == datetime.date(2028, 2, 10)


# Cadence
def test_a_client_not_contacted_within_the_tier_cadence_prompts_a_call(private_client):
    with time_machine.travel(at(2027, 1, 1), tick=False):
        InteractionFactory(client=private_client, occurred_at=at(2027, 1, 1))
        private_client.created_at = at(2026, 1, 1)
        private_client.save()
    with time_machine.travel(at(2027, 1, 10), tick=False):
        assert sweep_cadence() == 0  # private: every 14 days
    with time_machine.travel(at(2027, 1, 16), tick=False):
        assert sweep_cadence() == 1
        assert sweep_cadence() == 0
        assert "no contact for 15 days" in reminders("cadence")[0].title


def test_a_note_written_about_the_client_is_not_a_contact(private_client):
    with time_machine.travel(at(2027, 1, 1), tick=False):
        InteractionFactory(client=private_client, occurred_at=at(2027, 1, 1))
        private_client.created_at = at(2026, 1, 1)
        private_client.save()
    with time_machine.travel(at(2027, 1, 15), tick=False):
        InteractionFactory(client=private_client, channel="note", occurred_at=at(2027, 1, 15))
    with time_machine.travel(at(2027, 1, 16), tick=False):
        assert sweep_cadence() == 1  # the last contact is still the call of 1 January
        assert "no contact for 15 days" in reminders("cadence")[0].title
        (call,) = reminders("cadence")
    # A note logged now settles nothing; a call does.
    with time_machine.travel(at(2027, 1, 16, 14), tick=False):
        from clients.services import interaction_log
        from concierge.reminders.services import close_settled

        interaction_log(client=private_client, by=None, channel="note", direction="outbound")
        close_settled()  # as the next sweep or delivery does
        call.refresh_from_db()
        assert call.state == "open"
        interaction_log(client=private_client, by=None, channel="call", direction="outbound")
        call.refresh_from_db()
        assert call.state != "open"


# Exactly once
def test_the_sweep_run_twice_creates_nothing_more(private_client):
    ImportantDateFactory(client=private_client, kind="birthday", date=datetime.date(1975, 6, 30))
    ServiceRequestFactory(
        client=private_client, status=Status.NEW, acknowledge_by=at(2027, 6, 9, 13)
    )
    with time_machine.travel(at(2027, 6, 9, 12), tick=False):
        first = sweep()
        second = sweep()
    # The birthday, and the request's one prompt (overdue since its factory due date, so listed in
    # a catch-up, the third row).
    assert first == 2 and second == 0
    assert Reminder.objects.count() == 3


SWEEP_IN_A_PROCESS = """
import django, os, sys, datetime, time, zoneinfo
from pathlib import Path
django.setup()
import time_machine
from concierge.reminders.sweep import sweep
from django.db import connection
connection.ensure_connection()
Path(os.environ["READY"]).touch()
while not Path(os.environ["GO"]).exists():  # every sweep starts at the same moment
    time.sleep(0.005)
with time_machine.travel(datetime.datetime(2027, 6, 9, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")), tick=False):
    print(sweep())
"""

DATES = 3000
SWEEPS = 4
TRIALS = 3
# On a busy machine one sweep can finish before the others start: try again, up to this many.
MAX_TRIALS = 10


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need the PostgreSQL server (DATABASE_URL); SQLite serialises them",
)
@pytest.mark.django_db(transaction=True)
def test_sweeps_in_several_processes_at_once_create_each_reminder_once_and_say_so(
    concierge, tmp_path
):
    """Thousands of dates, four sweeps started at the same instant, three times: each reminder is
    created once, and the counts the sweeps report add up to the rows created."""
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"Client{n}", last_name="Race", primary_concierge=concierge, tier="private"
        )
        for n in range(DATES)
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(
            client=client, kind="birthday", date=datetime.date(1970 + n % 30, 6, 25 + n % 5)
        )
        for n, client in enumerate(clients)
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "DJANGO_SETTINGS_MODULE": "concierge.settings",
        "DEBUG": "1",
    }
    raced = 0
    for trial in range(MAX_TRIALS):
        if trial >= TRIALS and raced >= 2:
            break
        Reminder.objects.all().delete()
        go = tmp_path / f"go-{trial}"
        ready = [tmp_path / f"ready-{trial}-{n}" for n in range(SWEEPS)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", SWEEP_IN_A_PROCESS],
                cwd=ROOT,
                env={**env, "READY": str(ready[n]), "GO": str(go)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(SWEEPS)
        ]
        try:
            assert wait_for(lambda r=ready: all(p.exists() for p in r), timeout=120)
            go.touch()
            outputs = [p.communicate(timeout=300) for p in processes]
        finally:
            for p in processes:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        assert all(p.returncode == 0 for p in processes), outputs
        created = [int(out.strip().splitlines()[-1]) for out, _err in outputs]
        rows = Reminder.objects.exclude(kind="catch_up")
        assert rows.count() == DATES
        assert rows.values("dedupe_key").distinct().count() == DATES
        assert sum(created) == DATES, f"trial {trial}: reported {created} for {DATES} rows"
        raced += sum(1 for n in created if 0 < n < DATES)
        # All late when first seen: one catch-up, however many sweeps ran.
        assert Reminder.objects.filter(kind="catch_up").live().count() == 1
    assert raced >= 2, "the sweeps never ran at the same time: no race was tested"


def test_without_policy_rows_each_tier_keeps_its_own_defaults(db):
    TierPolicy.objects.all().delete()
    policies = tier_policies()
    assert (policies["private"].birthday_lead_days, policies["essential"].contact_cadence_days) == (
        21,
        60,
    )


def test_calls_owed_come_a_few_at_a_time_longest_silence_first(concierge):
    from concierge.reminders.sweep import CADENCE_OPEN_LIMIT

    with time_machine.travel(at(2026, 1, 1), tick=False):
        quiet = [
            ClientFactory(primary_concierge=concierge, tier="private")
            for _ in range(CADENCE_OPEN_LIMIT + 3)
        ]
    for n, client in enumerate(quiet):
        InteractionFactory(client=client, occurred_at=at(2026, 6, 1) + datetime.timedelta(days=n))
    with time_machine.travel(at(2027, 1, 16), tick=False):
        assert sweep_cadence() == CADENCE_OPEN_LIMIT
        assert sweep_cadence() == 0
    owed = {r.client_id for r in reminders("cadence")}
    assert owed == {c.pk for c in quiet[:CADENCE_OPEN_LIMIT]}


def test_a_cadence_run_while_every_concierge_owes_their_share_reads_no_client(concierge):
    """The hourly run's cost follows what is owed: with no room among the calls owed, the quiet
    clients (every client and its interactions, at scale) are not read at all."""
    from django.test.utils import CaptureQueriesContext

    from concierge.reminders.sweep import CADENCE_OPEN_LIMIT

    with time_machine.travel(at(2026, 1, 1), tick=False):
        for _ in range(CADENCE_OPEN_LIMIT + 3):
            ClientFactory(primary_concierge=concierge, tier="private")
    with time_machine.travel(at(2027, 1, 16), tick=False):
        assert sweep_cadence() == CADENCE_OPEN_LIMIT
        with CaptureQueriesContext(connection) as queries:
            assert sweep_cadence() == 0
    read = [q["sql"] for q in queries.captured_queries if 'FROM "clients_client"' in q["sql"]]
    assert read == [], read


def test_a_concierge_with_room_is_owed_calls_while_a_full_one_is_not(concierge, colleague):
    from concierge.reminders.sweep import CADENCE_OPEN_LIMIT

    with time_machine.travel(at(2026, 1, 1), tick=False):
        mine = [
            ClientFactory(primary_concierge=concierge, tier="private")
            for _ in range(CADENCE_OPEN_LIMIT + 2)
        ]
    with time_machine.travel(at(2027, 1, 16), tick=False):
        assert sweep_cadence() == CADENCE_OPEN_LIMIT
    with time_machine.travel(at(2026, 1, 1), tick=False):
        # Their backup's, who has room: a client without a primary is the backup's to call.
        theirs = ClientFactory(primary_concierge=None, backup_concierge=colleague, tier="private")
    with time_machine.travel(at(2027, 1, 16, 13), tick=False):
        assert sweep_cadence() == 1
    owed = Reminder.objects.filter(kind="cadence").live()
    assert set(owed.filter(owner=colleague).values_list("client_id", flat=True)) == {theirs.pk}
    assert owed.filter(owner=concierge).count() == CADENCE_OPEN_LIMIT
    assert {c.pk for c in mine} >= set(
        owed.filter(owner=concierge).values_list("client_id", flat=True)
    )


def test_logging_a_call_settles_the_call_owed(concierge):
    from clients.services import interaction_log

    with time_machine.travel(at(2026, 1, 1), tick=False):
        client = ClientFactory(primary_concierge=concierge, tier="private")
    with time_machine.travel(at(2027, 1, 16), tick=False):
        sweep_cadence()
        interaction_log(client=client, by=concierge, channel="call", direction="outbound")
    assert Reminder.objects.get(kind="cadence").state == "done"


def test_a_date_learned_after_its_prompt_time_is_listed_to_catch_up_not_sent_late(
    private_client,
):
    ImportantDateFactory(client=private_client, kind="birthday", date=datetime.date(1975, 6, 30))
    with time_machine.travel(at(2027, 6, 25, 15), tick=False):
        sweep()
        (item,) = reminders()
        catch_up = Reminder.objects.get(kind="catch_up")
        assert item.catch_up == catch_up and catch_up.due_at == at(2027, 6, 25, 15)
        assert catch_up.title == "1 thing to catch up on"
        assert "already late when Concierge first saw them" in catch_up.detail
    assert Reminder.objects.due(at(2027, 6, 25, 15)).get() == catch_up

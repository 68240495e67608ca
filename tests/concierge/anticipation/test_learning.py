"""The learner suggests what a client's history shows, once, and nothing from noise."""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import AnticipatedNeed
from clients.needs import need_accept, need_create, need_reject
from concierge.anticipation.learning import learn_anticipated_needs
from concierge.anticipation.tasks import learn_anticipated_needs_task
from concierge.models import Reminder
from concierge.reminders.sweep import sweep
from requests.models import Category, Status
from tests.factories import ClientFactory, ServiceRequestFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
D = datetime.date


def asked(client, category, day, title=None, *, event_on=None, status=Status.CLOSED):
    """A request created on `day` (10:00 Paris), optionally for an event on another day."""
    created = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)
    event = (
        datetime.datetime(event_on.year, event_on.month, event_on.day, 18, 0, tzinfo=PARIS)
        if event_on
        else None
    )
    return ServiceRequestFactory(
        client=client,
        category=category,
        title=title or f"{category} {day:%d %b %Y}",
        created_at=created,
        event_at=event,
        status=status,
    )


@pytest.fixture
def vip(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


def suggestions(client=None):
    needs = AnticipatedNeed.objects.filter(source=AnticipatedNeed.Source.LEARNED)
    return list(needs.filter(client=client) if client else needs)


def a_ski_history(client):
    return [
        asked(client, "travel", D(2024, 2, 2), "Ski week in Courchevel"),
        # Asked for in December, for a trip on 8 February: the trip's date is what counts.
        asked(client, "travel", D(2024, 12, 10), "Ski week in Verbier", event_on=D(2025, 2, 8)),
        asked(client, "travel", D(2026, 1, 30), "Ski week in Courchevel"),
        # A noisy background of other requests.
        asked(client, "dining", D(2024, 5, 14)),
        asked(client, "dining", D(2025, 9, 3)),
        asked(client, "gifts", D(2025, 6, 21)),
    ]


# Yearly patterns
def test_a_ski_trip_every_february_is_suggested_once_on_its_typical_date(vip):
    history = a_ski_history(vip)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 1
    (need,) = suggestions(vip)
    assert need.state == AnticipatedNeed.State.SUGGESTED
    assert need.recurrence == AnticipatedNeed.Recurrence.YEARLY
    assert need.category == "travel"
    assert need.title == "Ski week in Courchevel"
    # 2 Feb, 8 Feb and 30 Jan: typically 3 February; next year's, 21 days ahead.
    assert need.next_on == D(2027, 2, 3)
    assert need.lead_days == 21
    assert need.remind_on == D(2027, 1, 13)
    assert need.evidence["count"] == 3
    assert [r["id"] for r in need.evidence["requests"]] == [r.pk for r in history[:3]]
    assert [r["date"] for r in need.evidence["requests"]] == [
        "2024-02-02",
        "2025-02-08",
        "2026-01-30",
    ]


def test_learning_twice_suggests_nothing_more(vip):
    a_ski_history(vip)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 1
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0
    assert learn_anticipated_needs(today=D(2026, 3, 11)) == 0
    assert len(suggestions()) == 1


def test_a_season_already_asked_for_this_year_is_suggested_for_the_next(vip):
    a_ski_history(vip)
    learn_anticipated_needs(today=D(2026, 1, 5))
    (need,) = suggestions(vip)
    assert need.next_on == D(2027, 2, 3)  # 3 Feb 2026 is booked already (30 Jan)


def test_the_new_year_is_one_season_across_the_year_end(vip):
    asked(vip, "dining", D(2023, 12, 28), "New Year's Eve dinner")
    asked(vip, "dining", D(2025, 1, 2), "New Year's Eve dinner")
    asked(vip, "dining", D(2025, 12, 30), "New Year's Eve dinner")
    learn_anticipated_needs(today=D(2026, 3, 1))
    (need,) = suggestions(vip)
    assert need.recurrence == AnticipatedNeed.Recurrence.YEARLY
    assert need.next_on == D(2026, 12, 30)
    assert need.evidence["count"] == 3


def test_a_single_year_is_not_a_pattern(vip):
    asked(vip, "travel", D(2025, 2, 2))
    asked(vip, "travel", D(2025, 2, 20))
    asked(vip, "travel", D(2025, 3, 1))
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


def test_noise_suggests_nothing(vip):
    noise = [
        ("dining", D(2023, 3, 14)),
        ("travel", D(2023, 7, 4)),
        ("events", D(2023, 5, 19)),
        ("dining", D(2023, 9, 2)),
        ("wellness", D(2024, 2, 12)),
        ("dining", D(2024, 6, 20)),
        ("travel", D(2024, 10, 15)),
        ("gifts", D(2024, 11, 30)),
        ("dining", D(2025, 1, 11)),
        ("travel", D(2025, 4, 28)),
        ("events", D(2025, 8, 30)),
        ("dining", D(2025, 11, 25)),
        ("hotels", D(2026, 1, 3)),
    ]
    for category, day in noise:
        asked(vip, category, day)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0
    assert suggestions() == []


def test_random_requests_suggest_nothing(vip):
    rng = random.Random(2026)
    categories = [value for value, _label in Category.choices]
    for _ in range(12):
        day = D(2023, 3, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
        asked(vip, rng.choice(categories), day)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


def test_a_busy_category_needs_a_real_season_to_stand_out(vip):
    # Travel all year round: two trips near mid-June in two years are not a pattern.
    for year in (2024, 2025):
        for month in range(1, 13):
            asked(vip, "travel", D(year, month, 15 if month % 2 else 3))
    learn_anticipated_needs(today=D(2026, 3, 10))
    assert [n for n in suggestions(vip) if n.recurrence == "yearly"] == []


def test_cancelled_requests_are_not_history(vip):
    asked(vip, "travel", D(2024, 2, 2), status=Status.CANCELLED)
    asked(vip, "travel", D(2025, 2, 8))
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


# Steady intervals
def test_a_steady_pace_is_suggested_as_every_n_days(vip):
    for day in (D(2026, 1, 5), D(2026, 1, 19), D(2026, 2, 2), D(2026, 2, 17), D(2026, 3, 2)):
        asked(vip, "wellness", day, "Massage at the Ritz spa")
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 1
    (need,) = suggestions(vip)
    assert need.recurrence == AnticipatedNeed.Recurrence.INTERVAL
    assert need.interval_days == 14
    assert need.next_on == D(2026, 3, 16)
    assert need.lead_days == 4
    assert need.evidence["count"] == 5
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


def test_irregular_gaps_suggest_nothing(vip):
    for day in (D(2025, 9, 1), D(2025, 9, 11), D(2025, 10, 26), D(2025, 11, 7), D(2026, 1, 26)):
        asked(vip, "wellness", day)
    assert learn_anticipated_needs(today=D(2026, 2, 1)) == 0


def test_three_requests_are_not_yet_a_pace(vip):
    for day in (D(2026, 1, 5), D(2026, 1, 19), D(2026, 2, 2)):
        asked(vip, "wellness", day)
    assert learn_anticipated_needs(today=D(2026, 2, 5)) == 0


def test_a_habit_that_stopped_is_not_suggested(vip):
    for day in (D(2025, 1, 5), D(2025, 1, 19), D(2025, 2, 2), D(2025, 2, 16)):
        asked(vip, "wellness", day)
    assert learn_anticipated_needs(today=D(2025, 11, 1)) == 0


def test_gaps_too_short_or_too_long_are_not_a_pace(vip):
    for day in (D(2026, 1, 5), D(2026, 1, 8), D(2026, 1, 11), D(2026, 1, 14)):
        asked(vip, "dining", day)
    assert learn_anticipated_needs(today=D(2026, 1, 20)) == 0


# What the concierge decided
def test_a_rejected_suggestion_never_comes_back(vip, concierge):
    a_ski_history(vip)
    learn_anticipated_needs(today=D(2026, 3, 10))
    (need,) = suggestions(vip)
    need_reject(need=need, by=concierge)
    # Another year of skiing moves the typical day a little: still the same pattern.
    asked(vip, "travel", D(2027, 1, 26), "Ski week in Courchevel")
    assert learn_anticipated_needs(today=D(2027, 3, 10)) == 0
    (need,) = suggestions(vip)
    assert need.state == AnticipatedNeed.State.REJECTED


def test_a_need_set_by_hand_is_not_suggested_again(vip, concierge):
    need_create(
        client=vip,
        by=concierge,
        title="February ski trip",
        category="travel",
        recurrence=AnticipatedNeed.Recurrence.YEARLY,
        next_on=D(2027, 2, 10),
        lead_days=30,
    )
    a_ski_history(vip)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


def test_an_accepted_suggestion_is_reminded_by_the_sweep(vip, concierge):
    a_ski_history(vip)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 4, 0, tzinfo=PARIS), tick=False):
        learn_anticipated_needs()
        (need,) = suggestions(vip)
        sweep()
    with time_machine.travel(datetime.datetime(2027, 1, 12, 12, 0, tzinfo=PARIS), tick=False):
        sweep()
        assert Reminder.objects.count() == 0  # a suggestion reminds no one
    with time_machine.travel(datetime.datetime(2026, 3, 11, 9, 0, tzinfo=PARIS), tick=False):
        need = need_accept(need=need, by=concierge)
    assert need.state == AnticipatedNeed.State.ACTIVE
    with time_machine.travel(datetime.datetime(2027, 1, 12, 12, 0, tzinfo=PARIS), tick=False):
        sweep()
        sweep()
    (reminder,) = Reminder.objects.all()
    assert reminder.kind == Reminder.Kind.ANTICIPATED_NEED
    assert reminder.owner == concierge
    assert reminder.due_at == datetime.datetime(2027, 1, 13, 9, 0, tzinfo=PARIS)
    assert "Ski week in Courchevel" in reminder.title


def test_a_suggestion_accepted_after_its_date_starts_from_the_next_one(vip, concierge):
    a_ski_history(vip)
    learn_anticipated_needs(today=D(2026, 3, 10))
    (need,) = suggestions(vip)
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS), tick=False):
        need = need_accept(need=need, by=concierge)
    assert need.next_on == D(2028, 2, 3)
    assert need.remind_on == D(2028, 1, 13)


# Who is looked at, and at what cost
def test_former_and_unassigned_clients_are_not_looked_at(concierge):
    former = ClientFactory(primary_concierge=concierge, status="former")
    nobodys = ClientFactory()
    for client in (former, nobodys):
        a_ski_history(client)
    assert learn_anticipated_needs(today=D(2026, 3, 10)) == 0


def _queries_to_learn(batch):
    with CaptureQueriesContext(connection) as queries:
        learn_anticipated_needs(today=D(2026, 3, 10), batch=batch)
    return len(queries)


def test_clients_are_read_in_batches_with_a_fixed_number_of_queries(concierge):
    for _ in range(3):
        a_ski_history(ClientFactory(primary_concierge=concierge))
    few = _queries_to_learn(batch=10)
    AnticipatedNeed.objects.all().delete()
    for _ in range(7):
        a_ski_history(ClientFactory(primary_concierge=concierge))
    many = _queries_to_learn(batch=10)
    assert len(suggestions()) == 10
    assert many == few  # one batch either way: the same queries for 3 clients or 10
    AnticipatedNeed.objects.all().delete()
    assert (
        _queries_to_learn(batch=4) <= 3 * 5 + 1
    )  # three batches of clients, requests, needs, insert


def test_the_learner_runs_every_night(vip):
    entry = django_settings.CELERY_BEAT_SCHEDULE["learn-anticipated-needs"]
    assert entry["task"] == "concierge.anticipation.tasks.learn_anticipated_needs_task"
    assert entry["schedule"] == crontab(hour=3, minute=30)
    a_ski_history(vip)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 30, tzinfo=datetime.UTC)):
        assert learn_anticipated_needs_task() == 1

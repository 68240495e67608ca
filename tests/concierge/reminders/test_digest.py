"""The morning digest: at 07:00 in each user's own time zone, exactly once a day, and it reads like a
briefing (greeting, counts, then late, today, calls, the week, allergies)."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.db import connection

from clients.models import AnticipatedNeed
from concierge.models import DigestSent, Reminder, User
from concierge.reminders.digest import build_digest, send_digest, send_morning_digests
from concierge.reminders.tasks import send_morning_digests_task
from requests.models import Status
from tests.conftest import make_user
from tests.email_backends import FlakyBackend
from tests.factories import (
    ClientFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    ServiceRequestFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC


def at(year, month, day, hour, minute=0, tz=PARIS):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


def something_for(user, when):
    """A reminder due later that day, so that the user has a digest to receive."""
    client = ClientFactory(primary_concierge=user)
    return Reminder.objects.create(
        owner=user,
        client=client,
        note="Send the catalogue",
        due_at=when,
        dedupe_key=f"manual:{user.pk}:{when.isoformat()}",
    )


def run(moment):
    with time_machine.travel(moment, tick=False):
        return send_morning_digests()


def every_quarter_hour(start, end):
    """Run the task as beat would, every 15 minutes from start to end (UTC); yield each send."""
    moment = start
    while moment <= end:
        if run(moment):
            yield moment
        moment += datetime.timedelta(minutes=15)


@pytest.fixture
def new_yorker(team):
    return make_user("grace", team=team, first_name="Grace", time_zone="America/New_York")


# When
def test_a_paris_concierge_gets_it_at_07_00_paris_time_not_before(concierge, mailoutbox):
    something_for(concierge, at(2026, 5, 12, 15))
    assert run(at(2026, 5, 12, 6, 45)) == 0
    assert mailoutbox == []
    assert run(at(2026, 5, 12, 7, 0)) == 1
    assert [m.to for m in mailoutbox] == [[concierge.email]]


@pytest.mark.parametrize("minute", [0, 7, 14])
def test_the_first_run_between_07_00_and_07_14_sends_it(concierge, mailoutbox, minute):
    something_for(concierge, at(2026, 5, 12, 15))
    assert run(at(2026, 5, 12, 7, minute)) == 1


def test_it_is_sent_once_a_day_however_often_the_task_runs(concierge, mailoutbox):
    something_for(concierge, at(2026, 5, 12, 15))
    something_for(concierge, at(2026, 5, 13, 15))
    for moment in (at(2026, 5, 12, 7), at(2026, 5, 12, 7), at(2026, 5, 12, 7, 15)):
        run(moment)
    run(at(2026, 5, 12, 11, 45))
    assert len(mailoutbox) == 1
    assert DigestSent.objects.get().day == datetime.date(2026, 5, 12)
    run(at(2026, 5, 13, 7))
    assert len(mailoutbox) == 2  # the next morning, the next digest


def test_a_morning_missed_until_noon_is_skipped(concierge, mailoutbox):
    something_for(concierge, at(2026, 5, 12, 15))
    assert run(at(2026, 5, 12, 12, 0)) == 0
    assert run(at(2026, 5, 12, 23, 45)) == 0
    assert mailoutbox == []


def test_a_new_york_concierge_gets_it_at_07_00_new_york_time(concierge, new_yorker, mailoutbox):
    something_for(concierge, at(2026, 5, 12, 15))
    something_for(new_yorker, at(2026, 5, 12, 15, tz=NEW_YORK))
    sends = {}
    for moment in every_quarter_hour(at(2026, 5, 12, 0, tz=UTC), at(2026, 5, 12, 23, 45, tz=UTC)):
        sends[moment] = [m.to[0] for m in mailoutbox[len(sum(sends.values(), [])) :]]
    assert sends == {
        at(2026, 5, 12, 7): [concierge.email],
        at(2026, 5, 12, 13): [new_yorker.email],  # 07:00 in New York is 13:00 in Paris
    }
    assert run(at(2026, 5, 12, 6, 45, tz=NEW_YORK)) == 0  # 12:45 Paris: not yet for New York


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (datetime.date(2026, 3, 28), 6),  # Saturday, still winter time: 07:00 Paris = 06:00 UTC
        (datetime.date(2026, 3, 29), 5),  # the clocks went forward at 02:00: 07:00 = 05:00 UTC
        (datetime.date(2026, 3, 30), 5),
        (datetime.date(2026, 10, 24), 5),  # still summer time
        (datetime.date(2026, 10, 25), 6),  # the clocks went back at 03:00: 07:00 = 06:00 UTC
        (datetime.date(2026, 10, 26), 6),
    ],
)
def test_across_the_daylight_saving_changes_it_comes_at_07_00_paris(
    concierge, mailoutbox, day, utc_hour
):
    something_for(concierge, at(day.year, day.month, day.day, 15))
    start = datetime.datetime.combine(day, datetime.time(), UTC) - datetime.timedelta(hours=3)
    sends = list(every_quarter_hour(start, start + datetime.timedelta(hours=24)))
    assert sends == [datetime.datetime.combine(day, datetime.time(utc_hour), UTC)]
    assert sends[0].astimezone(PARIS).time() == datetime.time(7, 0)
    assert len(mailoutbox) == 1


# Who, and what if there is nothing
def test_a_day_with_nothing_to_say_sends_nothing_but_is_handled(concierge, mailoutbox):
    assert run(at(2026, 5, 12, 7)) == 0
    assert mailoutbox == []
    assert DigestSent.objects.filter(user=concierge, day=datetime.date(2026, 5, 12)).exists()
    something_for(concierge, at(2026, 5, 12, 15))
    assert run(at(2026, 5, 12, 7, 15)) == 0  # the day was handled


def test_users_without_email_or_inactive_get_none(concierge, mailoutbox):
    something_for(concierge, at(2026, 5, 12, 15))
    User.objects.filter(pk=concierge.pk).update(email="")
    silent = make_user("left", is_active=False)
    something_for(silent, at(2026, 5, 12, 15))
    assert run(at(2026, 5, 12, 7)) == 0
    assert mailoutbox == [] and not DigestSent.objects.exists()


def test_a_failed_send_is_tried_again_at_the_next_run(concierge, mailoutbox, settings):
    something_for(concierge, at(2026, 5, 12, 15))
    settings.EMAIL_BACKEND = "tests.email_backends.FlakyBackend"
    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    assert run(at(2026, 5, 12, 7)) == 0
    claim = DigestSent.objects.get()  # the day stays claimed, its email owed
    assert (claim.emailed_at, claim.email_attempts) == (None, 1)
    assert run(at(2026, 5, 12, 7, 15)) == 1
    assert len(mailoutbox) == 1
    claim.refresh_from_db()
    assert claim.emailed_at is not None and claim.next_attempt_at is None
    assert (
        mailoutbox[0].extra_headers["Message-ID"] == f"<digest-{concierge.pk}-2026-05-12@127.0.0.1>"
    )


def test_the_task_runs_the_digests_every_quarter_hour(concierge, mailoutbox):
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-morning-digests"]
    assert entry["task"] == "concierge.reminders.tasks.send_morning_digests_task"
    assert entry["schedule"] == crontab(minute="*/15")
    something_for(concierge, at(2026, 5, 12, 15))
    with time_machine.travel(at(2026, 5, 12, 7), tick=False):
        assert send_morning_digests_task() == 1


# What it says
@pytest.fixture
def morning(concierge, colleague):
    """Tuesday 12 May 2026, a little before 07:00 in Paris, with a full day ahead."""
    now = at(2026, 5, 12, 6, 55)
    eloise = ClientFactory(
        first_name="Marie-Éloïse",
        preferred_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        primary_concierge=concierge,
    )
    marc = ClientFactory(first_name="Marc", last_name="Aubert", primary_concierge=concierge)
    jean = ClientFactory(first_name="Jean", last_name="Dupont", backup_concierge=concierge)
    quiet = ClientFactory(first_name="Paul", last_name="Quiet", primary_concierge=colleague)
    with time_machine.travel(now - datetime.timedelta(days=3), tick=False):
        # Before anything else: a reminder and a request from yesterday, for Marc.
        Reminder.objects.create(
            owner=concierge,
            client=marc,
            note="Send Marc the wine list",
            due_at=at(2026, 5, 11, 10),
            dedupe_key="manual:1",
        )
        ServiceRequestFactory(
            client=marc, title="Opera tickets", due_at=at(2026, 5, 11, 18), status="in_progress"
        )
        # Today: Éloïse's birthday reminder at 09:00, and her dinner tonight.
        birthday = ImportantDateFactory(client=eloise, date=datetime.date(1975, 5, 26))
        Reminder.objects.create(
            owner=concierge,
            client=eloise,
            kind=Reminder.Kind.IMPORTANT_DATE,
            important_date=birthday,
            occurrence=datetime.date(2026, 5, 26),
            due_at=at(2026, 5, 12, 9),
            dedupe_key=f"date:{birthday.pk}:2026-05-26",
        )
        ServiceRequestFactory(
            client=eloise,
            title="Dinner at Le Cinq",
            event_at=at(2026, 5, 12, 20, 30),
            due_at=at(2026, 5, 12, 12),
            status="acknowledged",
        )
        PreferenceFactory(client=eloise, kind="allergy", detail="shellfish", severity="critical")
        PreferenceFactory(client=eloise, kind="like", detail="Ruinart blanc de blancs")
        PreferenceFactory(client=quiet, kind="allergy", detail="nuts")  # not with us today
        # Calls to make: Éloïse not called for 40 days; Marc's chauffeur to follow up.
        InteractionFactory(client=eloise, occurred_at=now - datetime.timedelta(days=40))
        Reminder.objects.create(
            owner=concierge,
            client=eloise,
            kind=Reminder.Kind.CADENCE,
            occurrence=(now - datetime.timedelta(days=40)).date(),
            due_at=at(2026, 5, 12, 6),
            dedupe_key=f"cadence:{eloise.pk}:x",
        )
        chauffeur = ServiceRequestFactory(
            client=marc, title="Chauffeur to Deauville", status=Status.FULFILLED, due_at=None
        )
        Reminder.objects.create(
            owner=concierge,
            client=marc,
            service_request=chauffeur,
            kind=Reminder.Kind.FOLLOW_UP,
            due_at=at(2026, 5, 12, 8),
            dedupe_key=f"followup:{chauffeur.pk}",
        )
        # Coming up this week: Jean's wedding anniversary on Friday, Éloïse's spa day on Sunday.
        ImportantDateFactory(
            client=jean,
            kind="anniversary",
            label="Wedding anniversary",
            date=datetime.date(2001, 5, 15),
        )
        AnticipatedNeed.objects.create(
            client=eloise,
            title="Spa day at the Ritz",
            recurrence="interval",
            interval_days=30,
            next_on=datetime.date(2026, 5, 17),
            lead_days=3,
        )
        ImportantDateFactory(client=jean, date=datetime.date(1960, 6, 30))  # not this week
        # Someone else's, never in this digest.
        ServiceRequestFactory(client=quiet, title="Quiet's yacht", due_at=at(2026, 5, 11, 9))
    return now


def test_the_digest_reads_like_a_briefing_in_order(concierge, morning, mailoutbox):
    run(at(2026, 5, 12, 7))
    (email,) = [m for m in mailoutbox if m.to == [concierge.email]]
    assert email.subject == "Your morning, Tuesday 12 May: 7 things need you"
    text = email.body
    print(text)
    order = [
        "Good morning, Camille.",
        "7 things need you this morning. 2 of them are late.",
        "BEFORE ANYTHING ELSE",
        "Marc Aubert",
        "Send Marc the wine list (due yesterday at 10:00)",
        "“Opera tickets” was due yesterday at 18:00 (in progress)",
        "TODAY",
        "Éloïse d'Harcourt",
        "09:00 · Birthday on Tuesday 26 May, in 14 days: time to plan the gift, the flowers or the call",
        "12:00 · “Dinner at Le Cinq” is due",
        "20:30 · “Dinner at Le Cinq” takes place",
        "CALLS TO MAKE",
        "Éloïse d'Harcourt (Madame la Présidente)",
        "No news for 40 days",
        "Marc Aubert",
        "Ask how “Chauffeur to Deauville” went",
        "COMING UP THIS WEEK",
        "Jean Dupont",
        "Wedding anniversary on Friday 15 May, in 3 days · 25 years",
        "Éloïse d'Harcourt",
        "Spa day at the Ritz on Sunday 17 May, in 5 days",
        "BE CAREFUL TODAY",
        "Éloïse d'Harcourt",
        "Allergy: shellfish · critical",
    ]
    position = 0
    for piece in order:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} not found after position {position}"
        position = found + len(piece)
    assert "Marie-Éloïse" not in text  # the name the concierge says, not the legal one
    assert "Ruinart" not in text and "nuts" not in text and "yacht" not in text
    assert "&#x27;" not in text  # plain text is not HTML-escaped
    html = email.alternatives[0][0]
    assert "Be careful today" in html and "d&#x27;Harcourt" in html
    assert html.index("Before anything else") < html.index("Calls to make")


def test_sections_without_content_are_left_out(concierge, mailoutbox):
    client = ClientFactory(first_name="Jean", last_name="Dupont", primary_concierge=concierge)
    ImportantDateFactory(client=client, date=datetime.date(1970, 5, 14))
    run(at(2026, 5, 12, 7))
    (email,) = mailoutbox
    assert "Nothing needs you this morning. Here is what is coming." in email.body
    assert "Birthday on Thursday 14 May, in 2 days · turns 56" in email.body
    for absent in ("BEFORE ANYTHING ELSE", "TODAY", "CALLS TO MAKE", "BE CAREFUL TODAY"):
        assert absent not in email.body
    assert email.subject == "Your morning, Tuesday 12 May: the week ahead"


def test_times_are_in_the_users_own_time_zone(new_yorker, mailoutbox):
    client = ClientFactory(first_name="Ada", last_name="Byron", primary_concierge=new_yorker)
    ServiceRequestFactory(
        client=client, title="Broadway tickets", event_at=at(2026, 5, 12, 19, 30, tz=NEW_YORK)
    )
    run(at(2026, 5, 12, 7, tz=NEW_YORK))
    (email,) = mailoutbox
    assert "Good morning, Grace." in email.body
    assert "19:30 · “Broadway tickets” takes place" in email.body


def test_a_manager_hears_of_the_teams_late_requests(manager, concierge, mailoutbox):
    client = ClientFactory(first_name="Marc", last_name="Aubert", primary_concierge=concierge)
    ServiceRequestFactory(client=client, title="Opera tickets", due_at=at(2026, 5, 11, 18))
    run(at(2026, 5, 12, 7))
    digests = {m.to[0]: m.body for m in mailoutbox}
    assert "1 thing needs you this morning. It is late." in digests[manager.email]
    assert (
        "Your team\n  - Camille Laurent: 1 request late, “Opera tickets” for Marc Aubert, "
        "due yesterday at 18:00" in digests[manager.email]
    )
    assert "“Opera tickets” was due yesterday at 18:00 (new)" in digests[concierge.email]
    assert "Your team" not in digests[concierge.email]


def test_a_long_section_shows_its_first_lines_and_counts_the_rest(concierge, mailoutbox):
    client = ClientFactory(first_name="Marc", last_name="Aubert", primary_concierge=concierge)
    for minute in range(15):
        Reminder.objects.create(
            owner=concierge,
            client=client,
            note=f"Thing {minute:02}",
            due_at=at(2026, 5, 11, 8, minute),
            dedupe_key=f"manual:{minute}",
        )
    run(at(2026, 5, 12, 7))
    (email,) = mailoutbox
    assert "15 things need you this morning. All of them are late." in email.body
    assert "Thing 09" in email.body and "Thing 10" not in email.body
    assert "… and 5 more in your agenda." in email.body
    assert email.subject == "Your morning, Tuesday 12 May: 15 things need you"


def test_build_digest_is_none_when_there_is_nothing(concierge):
    assert build_digest(concierge, at(2026, 5, 12, 7)) is None


# Two workers at once
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_digest(team, settings, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    settings.EMAIL_BACKEND = "tests.email_backends.SlowBackend"
    user = make_user("racer", team=team, first_name="Rémi")
    something_for(user, at(2026, 5, 12, 15))
    now, day = at(2026, 5, 12, 7), datetime.date(2026, 5, 12)
    start = threading.Barrier(2)
    results = []

    def worker():
        try:
            start.wait()
            results.append(send_digest(user=user, day=day, now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1
    assert DigestSent.objects.filter(user=user, day=day).count() == 1

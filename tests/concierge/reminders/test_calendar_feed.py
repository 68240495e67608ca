"""The private calendar feed: valid iCalendar, my live reminders only, and a link I can revoke."""

import datetime
import re

import pytest
import time_machine

from concierge.models import User
from concierge.reminders import ical
from concierge.reminders.services import reminder_close, reminder_create
from tests.factories import ClientFactory, ServiceRequestFactory

UTC = datetime.UTC
NOW = datetime.datetime(2027, 3, 10, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def remind(owner, due_at, title="Call back", **extra):
    return reminder_create(owner=owner, by=owner, title=title, due_at=due_at, **extra)


def with_token(user):
    user.calendar_token = "s3cret-" + user.username
    user.save()
    return user.calendar_token


# A small parser, to read the feed back as a calendar application would
def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse(text: str) -> dict:
    """The calendar's properties and its events, each a dict of property → (params, value)."""
    assert text.endswith("\r\n")
    lines = ical.unfold(text).split("\r\n")[:-1]
    calendar, events, stack = {}, [], []
    for line in lines:
        name_params, _, value = line.partition(":")
        name, *params = name_params.split(";")
        if name == "BEGIN":
            stack.append((value, {}))
        elif name == "END":
            kind, props = stack.pop()
            assert kind == value
            if kind == "VEVENT":
                events.append(props)
            elif kind == "VALARM":
                stack[-1][1]["VALARM"] = props
            elif kind == "VCALENDAR":
                calendar = props
        else:
            stack[-1][1][name] = (params, value)
    assert not stack
    calendar["events"] = events
    return calendar


# The serializer
def test_text_is_escaped():
    assert ical.escape_text("Dinner; 4 people, at 8\nno lilies\\roses") == (
        "Dinner\\; 4 people\\, at 8\\nno lilies\\\\roses"
    )
    assert unescape(ical.escape_text("a;b,c\nd\\e")) == "a;b,c\nd\\e"


@pytest.mark.parametrize(
    "text", ["x" * 200, "é" * 120, "Anniversaire de Ségolène — 🎂 " * 6, "a" * 74 + "é" * 3]
)
def test_long_lines_fold_at_75_octets_without_splitting_a_character(text):
    folded = ical.fold("SUMMARY:" + text)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert ical.unfold(folded) == "SUMMARY:" + text


def test_short_lines_are_left_alone():
    assert ical.fold("SUMMARY:Short") == "SUMMARY:Short"


def test_a_calendar_round_trips():
    start = datetime.datetime(2027, 3, 11, 8, 0, tzinfo=UTC)
    text = ical.calendar(
        [
            ical.Event(
                uid="7@concierge",
                start=start,
                duration=datetime.timedelta(minutes=15),
                summary="Call, then write; twice",
                description="Line one\nLine two",
            )
        ],
        name="Concierge",
        now=NOW,
    )
    calendar = parse(text)
    assert calendar["VERSION"][1] == "2.0" and "PRODID" in calendar
    (event,) = calendar["events"]
    assert event["UID"][1] == "7@concierge"
    assert event["DTSTART"][1] == "20270311T080000Z"
    assert event["DTSTAMP"][1] == "20270310T140000Z"
    assert event["DURATION"][1] == "PT15M"
    assert unescape(event["SUMMARY"][1]) == "Call, then write; twice"
    assert unescape(event["DESCRIPTION"][1]) == "Line one\nLine two"
    assert event["VALARM"]["TRIGGER"] == (["RELATED=START"], "PT0S")
    assert event["VALARM"]["ACTION"][1] == "DISPLAY"


# The feed
def test_the_feed_lists_my_live_reminders_from_a_week_ago_to_90_days_ahead(
    client, concierge, colleague, settings
):
    settings.SITE_DOMAIN = "concierge.example.com"
    token = with_token(concierge)
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    dinner = ServiceRequestFactory(client=eloise, title="Dinner at Le Cinq")
    day = datetime.timedelta(days=1)
    tomorrow = remind(
        concierge,
        NOW + day,
        title="Confirm the table, 4 people; terrace",
        client=eloise,
        service_request=dinner,
    )
    last_week = remind(concierge, NOW - 6 * day, title="Still open")
    remind(concierge, NOW - 8 * day, title="Too old")
    remind(concierge, NOW + 91 * day, title="Too far")
    reminder_close(reminder=remind(concierge, NOW + day, title="Done already"), state="done")
    remind(colleague, NOW + day, title="My colleague's")

    response = client.get(f"/calendar/{token}.ics")  # no login: a calendar app fetches it

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.content.decode())
    events = {event["UID"][1]: event for event in calendar["events"]}
    # UIDs carry the site's domain (SITE_URL): unique among every calendar the phone holds.
    assert set(events) == {
        f"reminder-{tomorrow.pk}@concierge.example.com",
        f"reminder-{last_week.pk}@concierge.example.com",
    }
    event = events[f"reminder-{tomorrow.pk}@concierge.example.com"]
    assert event["DTSTART"][1] == "20270311T140000Z"
    assert event["DURATION"][1] == "PT15M"
    assert unescape(event["SUMMARY"][1]) == "Confirm the table, 4 people; terrace"
    description = unescape(event["DESCRIPTION"][1])
    assert "Éloïse d'Harcourt" in description and "Dinner at Le Cinq" in description
    assert f"http://testserver/requests/{dinner.pk}/" in description
    assert event["URL"][1] == f"http://testserver/requests/{dinner.pk}/"
    assert event["VALARM"]["TRIGGER"][1] == "PT0S"
    assert "Camille Laurent" in unescape(calendar["X-WR-CALNAME"][1])


def test_every_line_of_the_feed_is_folded_and_ends_with_crlf(client, concierge):
    token = with_token(concierge)
    remind(concierge, NOW + datetime.timedelta(hours=2), title="Très long rappel, " * 10)
    body = client.get(f"/calendar/{token}.ics").content
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    (event,) = parse(body.decode())["events"]
    assert unescape(event["SUMMARY"][1]) == "Très long rappel, " * 10


def test_a_snoozed_reminder_moves_in_the_feed(client, concierge):
    from concierge.reminders.services import reminder_snooze

    token = with_token(concierge)
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1))
    reminder_snooze(reminder=reminder, option="hour")
    (event,) = parse(client.get(f"/calendar/{token}.ics").content.decode())["events"]
    assert event["DTSTART"][1] == "20270310T150000Z"


@pytest.mark.parametrize("token", ["unknown", "s3cret-owne", "s3cret-owner-x"])
def test_an_unknown_token_is_a_404(client, concierge, token):
    with_token(concierge)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_an_inactive_users_feed_is_a_404(client, concierge):
    token = with_token(concierge)
    concierge.is_active = False
    concierge.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


# The settings page
def test_create_regenerate_and_revoke_the_feed(concierge_client, concierge):
    page = concierge_client.get("/me/calendar/").content.decode()
    assert "Create my calendar feed" in page

    concierge_client.post("/me/calendar/", {"action": "create"})
    concierge.refresh_from_db()
    first = concierge.calendar_token
    assert len(first) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", first)
    page = concierge_client.get("/me/calendar/").content.decode()
    assert f"http://testserver/calendar/{first}.ics" in page
    assert f"webcal://testserver/calendar/{first}.ics" in page
    assert "iPhone" in page and "Google Calendar" in page and "Copy" in page
    assert concierge_client.get(f"/calendar/{first}.ics").status_code == 200

    concierge_client.post("/me/calendar/", {"action": "regenerate"})
    concierge.refresh_from_db()
    second = concierge.calendar_token
    assert second and second != first
    assert concierge_client.get(f"/calendar/{first}.ics").status_code == 404
    assert concierge_client.get(f"/calendar/{second}.ics").status_code == 200

    response = concierge_client.post("/me/calendar/", {"action": "revoke"})
    assert response.status_code == 302
    concierge.refresh_from_db()
    assert concierge.calendar_token == ""
    assert concierge_client.get(f"/calendar/{second}.ics").status_code == 404
    assert "Create my calendar feed" in concierge_client.get("/me/calendar/").content.decode()


def test_the_settings_page_needs_a_login(client, db):
    response = client.get("/me/calendar/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_two_users_never_share_a_token(concierge_client, client, colleague, concierge):
    concierge_client.post("/me/calendar/", {"action": "create"})
    client.force_login(colleague)
    client.post("/me/calendar/", {"action": "create"})
    tokens = set(User.objects.values_list("calendar_token", flat=True))
    assert len(tokens - {""}) == 2

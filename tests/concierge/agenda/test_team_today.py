"""A manager's agenda, "Your team today": per teammate, their prompts overdue and due later today
and their late requests, exact up to the agenda's cap and "99+" past it (as its own badges and the
bell say), by the agenda's relevance test and access rule: their team's, never another team's."""

import datetime
import itertools
import zoneinfo

import pytest
import time_machine

from concierge.models import Reminder
from concierge.reminders.services import reminder_close
from requests.models import Status
from tests.conftest import make_user
from tests.factories import ClientFactory, ServiceRequestFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2027, 3, 10, 15, 0, tzinfo=PARIS)  # a Wednesday
HOUR = datetime.timedelta(hours=1)
FRENCH = {"Accept-Language": "fr"}
KEYS = itertools.count()


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def prompts(owner, n, due_at, *, kind=Reminder.Kind.MANUAL, **about):
    """`n` live prompts of `owner`, one a minute from `due_at` on."""
    return Reminder.objects.bulk_create(
        Reminder(
            owner=owner,
            kind=kind,
            note=f"Prompt {i}",
            due_at=due_at + datetime.timedelta(minutes=i),
            dedupe_key=f"test:{next(KEYS)}",
            **about,
        )
        for i in range(n)
    )


def late_requests(assignee, n):
    client = ClientFactory(primary_concierge=assignee)
    for i in range(n):
        ServiceRequestFactory(
            client=client, assignee=assignee, title=f"Late {i}", due_at=NOW - (i + 1) * HOUR
        )


def team_of(response) -> dict[str, tuple[int, int, int]]:
    return {
        row["member"].username: (row["overdue"], row["today"], row["late"])
        for row in response.context["agenda"].team
    }


def team_section(response) -> str:
    html = response.content.decode()
    return html[html.index('<section class="card section agenda-team"') :].split("</section>")[0]


def test_counts_are_exact_below_the_cap(manager_client, concierge, colleague):
    prompts(concierge, 99, NOW - 3 * HOUR)
    prompts(concierge, 7, NOW + HOUR)
    prompts(concierge, 2, NOW + 30 * HOUR)  # tomorrow: not today's
    prompts(
        colleague,
        1,
        NOW - HOUR,
        kind=Reminder.Kind.CADENCE,
        client=ClientFactory(primary_concierge=colleague),
    )
    late_requests(colleague, 3)

    response = manager_client.get("/agenda/")

    assert team_of(response) == {"owner": (99, 7, 0), "colleague": (1, 0, 3)}
    section = team_section(response)
    assert "99 overdue" in section and "7 today" in section and "3 late requests" in section
    assert "99+" not in section


@pytest.mark.parametrize(
    "headers, words",
    [
        ({}, ["99+ overdue", "99+ today", "99+ late requests"]),
        (FRENCH, ["99+ en retard", "99+ aujourd’hui", "99+ demandes en retard"]),
    ],
)
def test_past_the_cap_the_counts_say_99_plus(manager_client, concierge, headers, words):
    prompts(concierge, 150, NOW - 5 * HOUR)
    prompts(concierge, 100, NOW + HOUR)
    late_requests(concierge, 120)

    response = manager_client.get("/agenda/", headers=headers)

    # Counted up to the cap and one more: enough to say "more than 99", never the whole backlog.
    assert team_of(response) == {"owner": (100, 100, 100)}
    section = team_section(response)
    for phrase in words:
        assert phrase in section, phrase
    assert "150" not in section and "120" not in section


def test_another_teams_reminders_are_never_counted(
    client, manager, outside_manager, concierge, outsider
):
    prompts(concierge, 3, NOW - HOUR)
    prompts(outsider, 5, NOW - HOUR)
    late_requests(outsider, 2)
    # A teammate's prompt about a client now another team's, until the sweep moves it.
    moved = ClientFactory(primary_concierge=concierge)
    prompts(concierge, 4, NOW - 2 * HOUR, client=moved)
    moved.primary_concierge, moved.team = outsider, outsider.team
    moved.save(update_fields=["primary_concierge", "team"])

    client.force_login(manager)
    assert team_of(client.get("/agenda/")) == {"owner": (3, 0, 0)}
    client.force_login(outside_manager)
    assert team_of(client.get("/agenda/")) == {"outsider": (5, 0, 2)}


def test_a_manager_outside_any_team_has_no_team_section(client, concierge):
    prompts(concierge, 3, NOW - HOUR)
    loner = make_user("loner", role="manager")
    client.force_login(loner)
    response = client.get("/agenda/")
    assert response.context["agenda"].team == []
    assert "agenda-team" not in response.content.decode()


def test_prompts_whose_reason_is_gone_are_not_counted(manager_client, concierge):
    client = ClientFactory(primary_concierge=concierge)
    closed = ServiceRequestFactory(client=client, due_at=NOW - 2 * HOUR, status=Status.CLOSED)
    open_one = ServiceRequestFactory(client=client, due_at=NOW + 2 * HOUR)
    Reminder.objects.bulk_create(
        [
            # Its request is closed: the next sweep closes the prompt.
            Reminder(
                owner=concierge,
                kind=Reminder.Kind.OVERDUE,
                service_request=closed,
                client=client,
                for_due_at=closed.due_at,
                due_at=NOW - HOUR,
                dedupe_key="gone",
            ),
            Reminder(
                owner=concierge,
                kind=Reminder.Kind.DUE_SOON,
                service_request=open_one,
                client=client,
                for_due_at=open_one.due_at,
                due_at=NOW + HOUR,
                dedupe_key="still there",
            ),
        ]
    )
    reminder_close(reminder=prompts(concierge, 1, NOW - HOUR)[0], state="done")  # not live

    assert team_of(manager_client.get("/agenda/")) == {"owner": (0, 1, 0)}


def test_a_catch_up_counts_once_while_one_of_its_items_matters(manager_client, concierge):
    client = ClientFactory(primary_concierge=concierge)
    closed = ServiceRequestFactory(client=client, due_at=NOW - 9 * HOUR, status=Status.CLOSED)
    catch_up = Reminder.objects.create(
        owner=concierge, kind=Reminder.Kind.CATCH_UP, due_at=NOW - HOUR, dedupe_key="catch-up"
    )
    about_closed = {"service_request": closed, "client": client, "for_due_at": closed.due_at}
    prompts(concierge, 1, NOW - 9 * HOUR, kind="overdue", catch_up=catch_up, **about_closed)
    prompts(concierge, 30, NOW - 8 * HOUR, catch_up=catch_up)  # typed by hand: they matter

    # One for the catch-up: its items are listed within it, not counted apart.
    assert team_of(manager_client.get("/agenda/")) == {"owner": (1, 0, 0)}

    Reminder.objects.filter(catch_up=catch_up, kind=Reminder.Kind.MANUAL).update(state="done")
    assert team_of(manager_client.get("/agenda/")) == {}


def test_prompts_past_a_fence_of_stale_ones_are_still_counted_exactly(
    manager_client, concierge, colleague
):
    """More stale prompts first than the candidates read (the cap and a few): the count is read
    again without the fence, exact."""
    handed = ClientFactory(primary_concierge=colleague)  # handed over already: nothing to do
    prompts(concierge, 120, NOW - 8 * HOUR, kind=Reminder.Kind.HANDOVER, client=handed)
    prompts(concierge, 3, NOW - HOUR)

    assert team_of(manager_client.get("/agenda/")) == {"owner": (3, 0, 0)}


def test_the_most_overdue_come_first_then_the_most_late_then_by_name(
    manager_client, team, concierge, colleague
):
    third = make_user("third", team=team, first_name="Aline")
    fourth = make_user("fourth", team=team, first_name="Zoé")
    prompts(concierge, 150, NOW - 5 * HOUR)  # 99+ overdue, no late request
    prompts(colleague, 120, NOW - 5 * HOUR)  # 99+ overdue and late requests: first
    late_requests(colleague, 2)
    prompts(third, 10, NOW - HOUR)
    prompts(fourth, 10, NOW - HOUR)

    response = manager_client.get("/agenda/")

    names = [row["member"].username for row in response.context["agenda"].team]
    assert names == ["colleague", "owner", "third", "fourth"]

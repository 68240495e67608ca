"""A reassignment takes effect at once everywhere: the former concierge's agenda, notifications and
calendar feed no longer name the client, nor can they act on its reminders; the new concierge's do,
with a handover notification leading to the brief; every change is in the client's history."""

import datetime

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client, Preference
from concierge.reminders.delivery import deliver_due
from concierge.reminders.feed import calendar_token_issue
from concierge.reminders.models import Notification, Reminder
from concierge.reminders.services import reminder_create
from concierge.team.services import clients_reassign
from tests.factories import ClientFactory, PreferenceFactory, ServiceRequestFactory

NAME = "Lou d'Harcourt"


@pytest.fixture
def eloise(concierge):
    client = ClientFactory(
        first_name="Éloïse",
        preferred_name="Lou",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        primary_concierge=concierge,
    )
    PreferenceFactory(
        client=client, kind=Preference.Kind.ALLERGY, detail="Shellfish", severity="critical"
    )
    return client


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def names_client(http, url) -> bool:
    """The page names the client, or shows their reminder."""
    html = http.get(url).content.decode()
    return NAME in html or "Lou d&#x27;Harcourt" in html or "Book the opera" in html


def test_after_a_reassignment_nothing_of_the_client_stays_with_the_former_concierge(
    eloise, concierge, colleague, manager
):
    reminder = reminder_create(
        owner=concierge,
        by=concierge,
        title="Book the opera",
        due_at=timezone.now() - datetime.timedelta(minutes=5),
        client=eloise,
    )
    deliver_due()
    former, new = browser(concierge), browser(colleague)
    token_former = calendar_token_issue(user=concierge)
    token_new = calendar_token_issue(user=colleague)
    assert names_client(former, "/agenda/") and names_client(former, "/notifications/")
    assert "Book the opera" in former.get(f"/calendar/{token_former}.ics").content.decode()
    assert not names_client(new, "/agenda/")

    response = browser(manager).post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": colleague.pk, "move_requests": "on", "action": "assign"},
    )
    assert response.status_code == 302

    # The former concierge: no name in the agenda, the notifications or the feed; no action.
    assert not names_client(former, "/agenda/")
    assert not names_client(former, "/notifications/")
    assert "Book the opera" not in former.get(f"/calendar/{token_former}.ics").content.decode()
    assert former.get(f"/clients/{eloise.pk}/").status_code == 404
    assert former.post(f"/agenda/reminders/{reminder.pk}/done/").status_code == 404
    assert (
        former.post(f"/agenda/reminders/{reminder.pk}/snooze/", {"until": "hour"}).status_code
        == 404
    )
    old = Notification.objects.get(user=concierge)
    assert former.get(f"/notifications/{old.pk}/").status_code == 404

    # The new one: the reminder, the client, the feed, and a notification that leads to the brief.
    assert names_client(new, "/agenda/")
    assert "Book the opera" in new.get(f"/calendar/{token_new}.ics").content.decode()
    handover = Notification.objects.get(user=colleague, reminder__kind=Reminder.Kind.HANDOVER)
    html = new.get("/notifications/").content.decode()
    assert "You now look after Lou d" in html
    brief = new.get(f"/notifications/{handover.pk}/", follow=True)
    assert brief.request["PATH_INFO"] == f"/clients/{eloise.pk}/handover/"
    page = brief.content.decode()
    assert "Madame la Présidente" in page and "Shellfish" in page
    assert new.post(f"/agenda/reminders/{reminder.pk}/done/").status_code in (200, 302)


def test_the_handover_notification_is_composed_in_the_new_concierges_language(
    eloise, concierge, colleague, manager
):
    colleague.language = "fr"
    colleague.save(update_fields=["language"])
    browser(manager).post(
        f"/clients/{eloise.pk}/assign/", {"concierge": colleague.pk, "action": "assign"}
    )
    html = browser(colleague).get("/notifications/").content.decode()
    assert "Vous suivez désormais Lou d" in html
    assert (
        "Brief de passation"
        in browser(colleague).get(f"/clients/{eloise.pk}/handover/").content.decode()
    )


def test_every_change_of_assignment_is_in_the_history_with_the_manager(
    eloise, concierge, colleague, manager
):
    http = browser(manager)
    http.post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": colleague.pk, "backup": concierge.pk, "action": "assign"},
    )
    http.post(f"/clients/{eloise.pk}/assign/", {"action": "unassign"})
    rows = list(eloise.history.order_by("history_date", "history_id"))
    assert [(r.primary_concierge_id, r.backup_concierge_id) for r in rows[-2:]] == [
        (colleague.pk, concierge.pk),
        (None, None),
    ]
    assert {r.history_user_id for r in rows[-2:]} == {manager.pk}
    html = http.get(f"/clients/{eloise.pk}/history/").content.decode()
    assert "Hélène" in html


def test_open_requests_move_when_asked_only(eloise, concierge, colleague, manager):
    first = ServiceRequestFactory(client=eloise, assignee=concierge)
    browser(manager).post(
        f"/clients/{eloise.pk}/assign/", {"concierge": colleague.pk, "action": "assign"}
    )
    first.refresh_from_db()
    assert first.assignee == concierge  # not asked: the request stays
    browser(manager).post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": concierge.pk, "move_requests": "on", "action": "assign"},
    )
    browser(manager).post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": colleague.pk, "move_requests": "on", "action": "assign"},
    )
    first.refresh_from_db()
    assert first.assignee == colleague
    assert first.events.filter(kind="assignment").exists()


def test_clearing_the_concierge_is_refused_with_a_clear_message(eloise, concierge, manager):
    response = browser(manager).post(
        f"/clients/{eloise.pk}/assign/", {"concierge": "", "backup": "", "action": "assign"}
    )
    assert response.status_code == 200
    assert "Move to the unassigned queue" in response.content.decode()
    eloise.refresh_from_db()
    assert eloise.primary_concierge == concierge


def test_the_unassigned_queue_stays_with_the_team_and_comes_first_for_its_manager(
    eloise, concierge, manager, outside_manager
):
    ClientFactory(first_name="Aaron", last_name="Abel", primary_concierge=concierge)
    browser(manager).post(f"/clients/{eloise.pk}/assign/", {"action": "unassign"})
    eloise.refresh_from_db()
    assert eloise.primary_concierge is None and eloise.team == concierge.team
    assert browser(concierge).get(f"/clients/{eloise.pk}/").status_code == 404
    assert browser(outside_manager).get(f"/clients/{eloise.pk}/").status_code == 404
    html = browser(manager).get("/clients/").content.decode()
    assert "1 client waits in the unassigned queue" in html
    assert html.index("Lou d") < html.index("Aaron Abel")


@pytest.mark.django_db
def test_bulk_reassignment_of_1000_clients_takes_a_bounded_number_of_queries(
    concierge, colleague, manager
):
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"Client{i}",
            last_name="Bulk",
            primary_concierge=concierge,
            team_id=concierge.team_id,
        )
        for i in range(1000)
    )
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            owner=concierge,
            client=c,
            kind=Reminder.Kind.MANUAL,
            note="Call",
            due_at=now,
            dedupe_key=f"bulk:{c.pk}",
        )
        for c in clients
    )
    with CaptureQueriesContext(connection) as queries:
        changed = clients_reassign(
            client_ids=[c.pk for c in clients], concierge=colleague, move_requests=True, by=manager
        )
    assert changed == 1000
    # Bulk writes are split only by the database's limit on parameters (SQLite: ~1,000 values a
    # statement); everything else is a fixed number of queries, whatever the number of clients.
    batched = [q for q in queries if q["sql"].startswith("INSERT") or "CASE WHEN" in q["sql"]]
    assert len(queries) - len(batched) <= 15
    assert len(queries) <= (20 if connection.vendor == "postgresql" else 80)
    assert Client.objects.filter(primary_concierge=colleague).count() == 1000
    assert not Reminder.objects.filter(owner=concierge).live().exists()
    assert Reminder.objects.filter(owner=colleague, kind="manual").count() == 1000
    assert Notification.objects.filter(user=colleague, reminder__kind="handover").count() == 1000
    assert Client.history.filter(history_user=manager).count() == 1000


def test_bulk_assignment_works_without_javascript_and_as_a_whole_page(
    eloise, concierge, colleague, manager
):
    other = ClientFactory(first_name="Zoé", last_name="Martin", primary_concierge=concierge)
    http = browser(manager)
    page = http.get(f"/clients/assign/?clients={eloise.pk}&clients={other.pk}").content.decode()
    assert "<html" in page and "Zoé Martin" in page
    response = http.post(
        "/clients/assign/",
        {"clients": [eloise.pk, other.pk], "concierge": colleague.pk, "action": "assign"},
    )
    assert response.status_code == 302
    assert set(Client.objects.filter(primary_concierge=colleague)) == {eloise, other}
    # Nobody ticked: a clear message, nothing changes.
    response = http.post("/clients/assign/", {"concierge": concierge.pk, "action": "assign"})
    assert "Tick at least one client." in response.content.decode()


def test_a_manager_can_only_assign_their_own_teams_clients(eloise, outside_manager, outsider):
    http = browser(outside_manager)
    response = http.post(
        "/clients/assign/", {"clients": [eloise.pk], "concierge": outsider.pk, "action": "assign"}
    )
    assert response.status_code == 200  # the client is not a valid choice for them
    eloise.refresh_from_db()
    assert eloise.primary_concierge != outsider

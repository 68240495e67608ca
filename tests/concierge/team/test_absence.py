"""A concierge away for a period: what falls due meanwhile goes to the stand-in (a named colleague,
or each client's backup), new requests too; after the period everything comes back. Real time travel
with time-machine."""

import datetime

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import Client
from concierge.accounts.models import Absence
from concierge.reminders.delivery import deliver_due
from concierge.reminders.models import Notification
from concierge.reminders.services import reminder_create
from requests.services import service_request_create
from tests.conftest import make_user
from tests.factories import ClientFactory
from tests.typed import at_noon

START = datetime.datetime(2026, 7, 6, 8, 0, tzinfo=datetime.UTC)
END = START + datetime.timedelta(days=7)


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def away(concierge, colleague, manager):
    """Camille away for a week from START, with her client's backup (Julien) standing in."""
    return Absence.objects.create(user=concierge, starts_at=START, ends_at=END, created_by=manager)


@pytest.fixture
def eloise(concierge, colleague):
    return ClientFactory(
        first_name="Éloïse",
        last_name="Dumas",
        primary_concierge=concierge,
        backup_concierge=colleague,
    )


def test_reminders_due_during_the_absence_go_to_the_stand_in_and_come_back_after(
    away, eloise, concierge, colleague
):
    with time_machine.travel(START - datetime.timedelta(days=1), tick=False):
        during = reminder_create(
            owner=concierge,
            by=concierge,
            title="Flowers for the premiere",
            due_at=START + datetime.timedelta(days=2),
            client=eloise,
        )
        after = reminder_create(
            owner=concierge,
            by=concierge,
            title="Call about the summer house",
            due_at=END + datetime.timedelta(days=1),
            client=eloise,
        )
    with time_machine.travel(START + datetime.timedelta(days=2, minutes=1), tick=False):
        deliver_due()
        assert Notification.objects.get(reminder=during).user == colleague
        # The stand-in's agenda lists it and they can act on it; the away concierge keeps seeing it.
        julien = browser(colleague)
        assert "Flowers for the premiere" in julien.get("/agenda/").content.decode()
        assert "Flowers for the premiere" in julien.get("/notifications/").content.decode()
    with time_machine.travel(END + datetime.timedelta(days=1, minutes=1), tick=False):
        deliver_due()
        assert Notification.objects.get(reminder=after).user == concierge
        # Back: what the stand-in left open is the concierge's again, and no longer the stand-in's.
        assert "Flowers for the premiere" in browser(concierge).get("/agenda/").content.decode()
        assert "Flowers for the premiere" not in browser(colleague).get("/agenda/").content.decode()
        assert browser(colleague).post(f"/agenda/reminders/{during.pk}/done/").status_code == 404


def test_a_named_stand_in_sees_the_clients_for_the_period_and_gets_new_requests(
    concierge, team, manager
):
    stand_in = make_user("stand-in", team=team, first_name="Inès")
    client = ClientFactory(first_name="Paul", last_name="Girard", primary_concierge=concierge)
    Absence.objects.create(user=concierge, stand_in=stand_in, starts_at=START, ends_at=END)
    with time_machine.travel(START - datetime.timedelta(hours=1), tick=False):
        assert browser(stand_in).get(f"/clients/{client.pk}/").status_code == 404
        before = service_request_create(
            client=client, by=manager, title="Dinner", category="dining"
        )
        assert before.assignee == concierge
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        assert browser(stand_in).get(f"/clients/{client.pk}/").status_code == 200
        assert client in Client.objects.visible_to(stand_in)
        during = service_request_create(client=client, by=manager, title="Opera", category="dining")
        assert during.assignee == stand_in
    with time_machine.travel(END + datetime.timedelta(hours=1), tick=False):
        assert browser(stand_in).get(f"/clients/{client.pk}/").status_code == 404
        after = service_request_create(client=client, by=manager, title="Ski", category="dining")
        assert after.assignee == concierge


def test_a_manager_marks_an_absence_and_ends_it(manager, concierge, colleague):
    http = browser(manager)
    now = timezone.localtime()
    response = http.post(
        "/team/absences/",
        {
            "user": concierge.pk,
            "stand_in": colleague.pk,
            "starts_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": at_noon(now + datetime.timedelta(days=2)),
        },
    )
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.user, absence.stand_in, absence.created_by) == (concierge, colleague, manager)
    assert "Away" in http.get("/team/").content.decode()
    http.post(f"/team/absences/{absence.pk}/end/")
    absence.refresh_from_db()
    assert absence.ends_at <= timezone.now()
    # Nobody stands in for themselves; a return before the start is refused.
    response = http.post(
        "/team/absences/",
        {
            "user": concierge.pk,
            "stand_in": concierge.pk,
            "starts_at": "2026-08-01T08:00",
            "ends_at": "2026-07-01T08:00",
        },
    )
    assert response.status_code == 200 and Absence.objects.count() == 1

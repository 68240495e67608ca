"""Every key page costs the same number of queries however much there is: measured with a world of
N clients (each with a date, a request, reminders of every list and unread notifications), then of
3 × N, the count must not move, and stays under the page's bound. Speed itself is `manage.py
bench`'s job (README, "Scale"); this only catches a page that starts to grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.reminders.models import Notification, Reminder
from concierge.reminders.services import reminder_create
from concierge.team.dashboard import team_dashboard_forget
from requests.models import Status
from tests.factories import (
    ClientFactory,
    ImportantDateFactory,
    InteractionFactory,
    ServiceRequestFactory,
)

STATUSES = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FULFILLED, Status.CLOSED]

# The most each page may cost (a measured count plus a little room, so that a new query is a
# decision, not an accident). The agenda's catch-ups (one per person acted for) are read all at once.
BOUNDS = {
    "agenda": 15,
    "manager_agenda": 15,  # and "Your team today": the team's prompts counted up to the cap
    "client_list": 9,
    "client_search": 9,
    "client_profile": 17,
    "request_list": 8,
    "request_board": 14,
    "request_detail": 16,
    "team_dashboard": 16,
    "record_picker": 10,  # the clients of today (their first candidates judged), the recent ones
}


def grow(concierge, n: int, start: int) -> None:
    """Add `n` clients of the concierge, each with everything the key pages list."""
    now = timezone.now()
    today = timezone.localdate()
    for i in range(start, start + n):
        client = ClientFactory(
            primary_concierge=concierge, first_name="Éloïse", last_name=f"Harcourt {i:04d}"
        )
        ImportantDateFactory(client=client, date=today.replace(year=1980) + datetime.timedelta(3))
        InteractionFactory(client=client, by=concierge)
        service_request = ServiceRequestFactory(
            client=client,
            assignee=concierge,
            status=STATUSES[i % len(STATUSES)],
            due_at=now + datetime.timedelta(hours=i % 72 - 24),
        )
        reminders = [
            reminder_create(owner=concierge, by=concierge, title=f"R{i}", due_at=due, client=client)
            for due in (
                now - datetime.timedelta(hours=2),  # overdue
                now + datetime.timedelta(minutes=1),  # later today (or tomorrow near midnight)
                now + datetime.timedelta(days=2),  # the next days
            )
        ]
        reminders.append(
            reminder_create(
                owner=concierge,
                by=concierge,
                title=f"Q{i}",
                due_at=now - datetime.timedelta(hours=1),
                service_request=service_request,
            )
        )
        Notification.objects.bulk_create(
            Notification(user=concierge, reminder=reminder) for reminder in reminders
        )


def catch_up_of(concierge):
    """One catch-up listing some of the concierge's overdue prompts, as the sweep makes it."""
    catch_up = Reminder.objects.create(
        owner=concierge,
        kind=Reminder.Kind.CATCH_UP,
        due_at=timezone.now() - datetime.timedelta(minutes=5),
        dedupe_key=f"catchup:{concierge.pk}",
    )
    late = Reminder.objects.filter(owner=concierge, note__startswith="R").order_by("pk")
    Reminder.objects.filter(pk__in=list(late.values_list("pk", flat=True)[::3])).update(
        catch_up=catch_up
    )


def pages(concierge):
    client = ClientFactory._meta.model.objects.filter(primary_concierge=concierge).first()
    service_request = client.service_requests.first()
    return {
        "agenda": "/agenda/",
        "manager_agenda": "/agenda/",
        "client_list": "/clients/",
        "client_search": "/clients/?q=harcourt",
        "client_profile": f"/clients/{client.pk}/",
        "request_list": "/requests/",
        "request_board": "/requests/?view=board",
        "request_detail": f"/requests/{service_request.pk}/",
        "team_dashboard": "/team/",
        "record_picker": "/record/",
    }


def queries_of(http, path: str, team_id: int) -> int:
    team_dashboard_forget(team_id)  # the team dashboard computed, not read from its cache
    with CaptureQueriesContext(connection) as queries:
        response = http.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("page", sorted(BOUNDS))
def test_a_key_page_costs_the_same_queries_with_three_times_the_data(
    client, concierge, manager, page, django_assert_max_num_queries
):
    grow(concierge, 5, 0)
    catch_up_of(concierge)
    paths = pages(concierge)
    client.force_login(manager if page in ("team_dashboard", "manager_agenda") else concierge)
    queries_of(client, paths[page], manager.team_id)  # caches, compiled templates
    before = queries_of(client, paths[page], manager.team_id)
    grow(concierge, 10, 5)  # three times the clients, requests, reminders and notifications
    with django_assert_max_num_queries(BOUNDS[page]):
        after = queries_of(client, paths[page], manager.team_id)
    assert after == before, f"{page}: {before} queries with 5 clients, {after} with 15"

"""The agenda with every list full (a concierge with a large portfolio: every section past what it
shows, a catch-up, forty coming dates, twenty requests due) stays under its own transfer budget
(README, "Scale"); what is past each list's share is behind "show all", not sent."""

import datetime

from django.test import override_settings
from django.utils import timezone

from concierge.agenda import queries
from concierge.models import Reminder
from concierge.reminders.services import reminder_create
from requests.models import ServiceRequest
from tests.factories import ClientFactory, ImportantDateFactory
from tests.web.test_page_weight import ASSET, gzipped

AGENDA_HTML_BUDGET_KB = 72  # HTML as sent, every list full
AGENDA_BUDGET_KB = 110  # with its CSS and JS, gzipped as served
LONG = "Call back about the villa in Ramatuelle: the pool heating, the chef and the late arrival"


@override_settings(DEBUG=False)
def test_a_full_agenda_stays_under_its_budget(client, concierge):
    from django.contrib.staticfiles import finders

    now = timezone.now()
    customers = [ClientFactory(primary_concierge=concierge) for _ in range(10)]
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59)
    for i in range(queries.SHORT * 3):
        about = customers[i % 10]
        reminder_create(
            owner=concierge,
            by=concierge,
            title=f"{LONG} {i}",
            client=about,
            due_at=now - datetime.timedelta(hours=i + 1),
        )
        reminder_create(
            owner=concierge,
            by=concierge,
            title=f"{LONG} {i}",
            client=about,
            due_at=min(now + datetime.timedelta(minutes=i + 1), end_of_today),
        )
        reminder_create(
            owner=concierge,
            by=concierge,
            title=f"{LONG} {i}",
            client=about,
            due_at=now + datetime.timedelta(days=2, hours=i),
        )
    catch_up = Reminder.objects.create(
        owner=concierge,
        kind=Reminder.Kind.CATCH_UP,
        due_at=now - datetime.timedelta(minutes=5),
        dedupe_key=f"catchup:{concierge.pk}",
    )
    for i in range(queries.CATCH_UP_SHOWN * 3):
        item = reminder_create(
            owner=concierge,
            by=concierge,
            title=f"{LONG} missed {i}",
            due_at=now - datetime.timedelta(days=3, hours=i),
        )
        Reminder.objects.filter(pk=item.pk).update(catch_up=catch_up)
    today = timezone.localdate()
    for i in range(queries.DATES_SHOWN + 10):
        ImportantDateFactory(
            client=customers[i % 10],
            label="Wedding anniversary with Madame",
            date=(today + datetime.timedelta(days=i % 14)).replace(year=1990),
        )
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=customers[i % 10],
            title=f"{LONG} {i}",
            assignee=concierge,
            due_at=now + datetime.timedelta(hours=i - 10),
        )
        for i in range(queries.REQUESTS_SHOWN + 10)
    )

    client.force_login(concierge)
    response = client.get("/agenda/")

    agenda = response.context["agenda"]
    assert agenda.overdue_count > len(agenda.overdue) == queries.SHORT  # the catch-up first
    assert len(agenda.dates) == queries.DATES_SHOWN and agenda.dates_more > 0
    assert len(agenda.requests) == queries.REQUESTS_SHOWN
    html = response.content
    assets = sum(
        gzipped(open(finders.find(asset), "rb").read())  # noqa: SIM115
        for asset in set(ASSET.findall(html.decode()))
    )
    assert len(html) <= AGENDA_HTML_BUDGET_KB * 1024, f"{len(html) / 1024:.1f} KB"
    assert len(html) + assets <= AGENDA_BUDGET_KB * 1024, f"{(len(html) + assets) / 1024:.1f} KB"

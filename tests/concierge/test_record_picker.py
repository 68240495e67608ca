"""Record, from the bottom navigation: today's clients and the recent ones first, then search as you
type; only the concierge's own clients; each leads to that client's capture page."""

import datetime

import time_machine
from django.utils import timezone

from concierge.reminders.services import reminder_create
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory


def test_todays_clients_and_recent_ones_come_first(client, concierge, outsider):
    # Mid-morning, so that "in an hour" is still today whenever the suite runs (signed in then: a
    # session begun hours away from it has lapsed).
    morning = timezone.localtime().replace(hour=10, minute=0)
    with time_machine.travel(morning, tick=False):
        client.force_login(concierge)
        _todays_clients_and_recent_ones_come_first(client, concierge, outsider)


def _todays_clients_and_recent_ones_come_first(concierge_client, concierge, outsider):
    called = ClientFactory(first_name="Hiroshi", last_name="Tanaka", primary_concierge=concierge)
    due = ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    requested = ClientFactory(first_name="Ada", last_name="Byron", primary_concierge=concierge)
    ClientFactory(first_name="Quiet", last_name="One", primary_concierge=concierge)
    theirs = ClientFactory(first_name="Not", last_name="Mine", primary_concierge=outsider)
    InteractionFactory(client=called, by=concierge)
    InteractionFactory(client=theirs, by=concierge)  # an old note: no longer theirs to see
    reminder_create(
        owner=concierge,
        by=concierge,
        title="Call",
        due_at=timezone.now() + datetime.timedelta(minutes=5),
        client=due,
    )
    ServiceRequestFactory(
        client=requested, assignee=concierge, due_at=timezone.now() + datetime.timedelta(hours=1)
    )

    response = concierge_client.get("/record/")

    assert response.status_code == 200
    today = [c.last_name for c in response.context["today"]]
    recent = [c.last_name for c in response.context["recent"]]
    assert set(today) == {"Harcourt", "Byron"} and recent == ["Tanaka"]
    html = response.content.decode()
    assert f"/clients/{due.pk}/capture/" in html and "Mine" not in html and "Quiet" not in html


def test_search_as_you_type_answers_the_results_alone(concierge_client, concierge, outsider):
    mine = ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Eloise", last_name="Harcourt", primary_concierge=outsider)

    response = concierge_client.get("/record/", {"q": "eloise"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="picker-results"')
    assert [c.pk for c in response.context["found"]] == [mine.pk]
    plain = concierge_client.get("/record/", {"q": "eloise"}).content.decode()
    assert "<html" in plain and f"/clients/{mine.pk}/capture/" in plain


def test_the_capture_page_is_the_concierges_own(concierge_client, client, concierge, outsider):
    mine = ClientFactory(primary_concierge=concierge)
    page = concierge_client.get(f"/clients/{mine.pk}/capture/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-recorder-standalone" in html and "data-quick-note" in html
    assert 'aria-current="page"' in html  # Record is the current section
    client.force_login(outsider)
    assert client.get(f"/clients/{mine.pk}/capture/").status_code == 404


def test_the_bottom_navigation_has_record_between_clients_and_requests(concierge_client):
    html = concierge_client.get("/agenda/").content.decode()
    nav = html[html.index('class="bottomnav"') :]
    order = [
        nav.index(f'href="{url}"') for url in ("/agenda/", "/clients/", "/record/", "/requests/")
    ]
    assert order == sorted(order)

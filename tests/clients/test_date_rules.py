"""Impossible dates are refused, and every date shown carries its year unless it is this year's."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone

from clients.models import ImportantDate, Relation
from requests.models import RequestEvent
from tests.factories import ClientFactory, ImportantDateFactory, ServiceRequestFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", primary_concierge=concierge)


def test_a_household_birthday_in_the_future_is_refused(concierge_client, eloise):
    future = timezone.localdate() + datetime.timedelta(days=365 * 5)
    response = concierge_client.post(
        f"/clients/{eloise.pk}/household/new/",
        {"kind": "child", "name": "Louise", "birthday": future.isoformat()},
        headers=HTMX,
    )
    assert "A birth date cannot be in the future." in response.content.decode()
    assert not Relation.objects.exists()


def test_a_birthday_date_in_the_future_is_refused_an_anniversary_in_9999_too(
    concierge_client, eloise
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    birthday = concierge_client.post(
        f"/clients/{eloise.pk}/dates/new/",
        {"kind": "birthday", "date": tomorrow.isoformat(), "yearly": "on"},
        headers=HTMX,
    )
    assert "A birth date cannot be in the future." in birthday.content.decode()
    far = concierge_client.post(
        f"/clients/{eloise.pk}/dates/new/",
        {"kind": "anniversary", "date": "9999-05-01", "yearly": "on"},
        headers=HTMX,
    )
    assert "9999 is too far ahead" in far.content.decode()
    assert not ImportantDate.objects.exists()


def test_a_wedding_next_year_is_not_minus_one_year(eloise):
    today = timezone.localdate()
    wedding = ImportantDateFactory(
        client=eloise, kind="anniversary", date=today.replace(year=today.year + 1), yearly=True
    )
    assert wedding.next_occurrence(today) == wedding.date
    assert wedding.age_at_next(today) is None


def test_a_stored_future_birthday_never_shows_a_negative_age(concierge_client, eloise):
    today = timezone.localdate()
    ImportantDateFactory(client=eloise, date=today.replace(year=today.year + 6), yearly=True)
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "turns -" not in html and "turns 0" not in html


def _render(text, **context):
    return Template("{% load when %}" + text).render(Context(context))


@time_machine.travel(datetime.datetime(2026, 6, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_the_year_is_shown_when_it_is_not_this_year():
    this_year = datetime.datetime(2026, 5, 1, 18, 30, tzinfo=datetime.UTC)
    other_year = datetime.datetime(2019, 5, 1, 18, 30, tzinfo=datetime.UTC)
    assert _render("{{ d|moment }}", d=this_year) == "Fri 1 May, 20:30"  # Paris time
    assert _render("{{ d|moment }}", d=other_year) == "1 May 2019, 20:30"
    assert _render("{{ d|day }}", d=datetime.date(2027, 1, 3)) == "3 Jan 2027"
    assert _render("{{ d|day:'short' }}", d=datetime.date(2026, 1, 3)) == "3 Jan"
    assert _render("{{ d|other_year }}", d=datetime.date(2019, 1, 3)) == "2019"
    assert _render("{{ d|other_year }}", d=datetime.date(2026, 1, 3)) == ""


def test_a_request_event_from_2019_shows_its_year(concierge_client, eloise, concierge):
    sr = ServiceRequestFactory(client=eloise, title="Old dinner")
    RequestEvent.objects.create(
        service_request=sr,
        kind="comment",
        note="From long ago",
        by=concierge,
        at=datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC),
    )
    html = concierge_client.get(f"/requests/{sr.pk}/").content.decode()
    assert "1 May 2019" in html


def test_a_past_one_off_date_chip_shows_its_year(concierge_client, eloise):
    ImportantDateFactory(
        client=eloise, kind="custom", label="Gala", date=datetime.date(2019, 5, 1), yearly=False
    )
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "<small>2019</small>" in html

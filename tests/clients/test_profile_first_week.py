"""The profile after a week of use: dates follow the household, calls logged afterwards keep their
time, long addresses wrap at their seams."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from clients.models import ImportantDate, Interaction
from tests.factories import ClientFactory, RelationFactory
from tests.typed import at_noon

HTMX = {"HX-Request": "true"}


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", primary_concierge=concierge)


def test_a_household_birthday_refreshes_important_dates_out_of_band(concierge_client, eloise):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/household/new/",
        {"kind": "child", "name": "Louise", "birthday": "2015-03-14"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert '<section id="section-household"' in html
    assert '<section id="section-dates" class="card section" hx-swap-oob="true">' in html
    dates_part = html.split('id="section-dates"', 1)[1]
    assert "14" in dates_part and "Mar" in dates_part
    assert ImportantDate.objects.get(relation__name="Louise").date == datetime.date(2015, 3, 14)


def test_deleting_the_member_refreshes_the_dates_too(concierge_client, eloise):
    louise = RelationFactory(client=eloise, name="Louise", birthday=None)
    response = concierge_client.post(
        f"/clients/{eloise.pk}/household/{louise.pk}/delete/",
        {"version": louise.version},
        headers=HTMX,
    )
    assert 'hx-swap-oob="true"' in response.content.decode()


def test_a_call_is_logged_with_an_earlier_time(concierge_client, eloise):
    earlier = timezone.localtime() - datetime.timedelta(hours=3)
    concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {
            "channel": "call",
            "direction": "inbound",
            "summary": "Called back",
            "occurred_at": earlier.strftime("%Y-%m-%dT%H:%M"),
        },
        headers=HTMX,
    )
    logged = Interaction.objects.get()
    assert abs(logged.occurred_at - earlier) < datetime.timedelta(minutes=1)


def test_without_a_time_the_call_is_now_and_a_future_time_is_refused(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {"channel": "call", "direction": "outbound"},
        headers=HTMX,
    )
    assert timezone.now() - Interaction.objects.get().occurred_at < datetime.timedelta(minutes=1)
    later = timezone.localtime() + datetime.timedelta(days=1)
    html = concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {
            "channel": "call",
            "direction": "outbound",
            "summary": "typed words stay",
            "occurred_at": at_noon(later),
        },
        headers=HTMX,
    ).content.decode()
    assert "A call cannot be logged in the future." in html
    assert "typed words stay" in html
    assert Interaction.objects.count() == 1


def test_the_quick_log_offers_the_time_field(concierge_client, eloise):
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert 'name="occurred_at"' in html and 'type="datetime-local"' in html


def test_long_addresses_wrap_after_the_at_and_before_the_dots():
    rendered = Template("{% load text %}{{ v|breakable }}").render(
        Context({"v": "eloise.dharcourt@maison-harcourt.example"})
    )
    assert rendered == "eloise<wbr>.dharcourt@<wbr>maison-harcourt<wbr>.example"
    short = Template("{% load text %}{{ v|breakable }}").render(Context({"v": "<b>a@b.fr</b>"}))
    assert short == "&lt;b&gt;a@b.fr&lt;/b&gt;"

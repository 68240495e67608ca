"""Anticipated needs on the profile: set by hand in place, suggestions accepted or rejected in place."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import AnticipatedNeed
from tests.factories import ClientFactory

HX = {"HX-Request": "true"}
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def vip(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


def make_need(client, **fields):
    values = {
        "title": "February ski trip",
        "category": "travel",
        "recurrence": AnticipatedNeed.Recurrence.YEARLY,
        "next_on": datetime.date(2027, 2, 3),
        "lead_days": 21,
        **fields,
    }
    return AnticipatedNeed.objects.create(client=client, **values)


def make_suggestion(client, **fields):
    values = {
        "source": AnticipatedNeed.Source.LEARNED,
        "state": AnticipatedNeed.State.SUGGESTED,
        "title": "Ski week in Courchevel",
        "learned_key": "yearly:travel:02-03",
        "evidence": {
            "pattern": "yearly",
            "count": 3,
            "typical": "02-03",
            "requests": [
                {"id": 1, "title": "Ski", "date": "2024-02-02"},
                {"id": 2, "title": "Ski", "date": "2025-02-08"},
                {"id": 3, "title": "Ski", "date": "2026-01-30"},
            ],
        },
    }
    return make_need(client, **{**values, **fields})


def form_data(**overrides):
    return {
        "title": "February ski trip",
        "category": "travel",
        "recurrence": "yearly",
        "interval_days": "",
        "next_on": "2027-02-10",
        "lead_days": "30",
        **overrides,
    }


# The section on the profile
def test_the_profile_shows_needs_and_suggestions_apart(concierge_client, vip):
    make_need(vip, title="Monaco Grand Prix", category="events", next_on=datetime.date(2027, 5, 23))
    make_suggestion(vip)
    make_need(vip, title="Old idea", state=AnticipatedNeed.State.REJECTED, learned_key="x")
    page = concierge_client.get(reverse("clients:detail", args=[vip.pk])).content.decode()
    assert 'id="section-needs"' in page
    assert "Monaco Grand Prix" in page
    assert "Suggested from history" in page
    assert "Ski week in Courchevel" in page
    assert "every February" in page
    assert "based on 3 requests" in page
    assert (
        "30 Jan" in page
    )  # with its year unless it is this year (tests/clients/test_date_rules.py)
    assert "Old idea" not in page
    assert page.index("Ski week in Courchevel") < page.index("Monaco Grand Prix")
    assert page.index("Important dates") < page.index('id="section-needs"')


def test_the_needs_cost_one_query_whatever_their_number(concierge_client, vip):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            concierge_client.get(reverse("clients:detail", args=[vip.pk]))
        return len(captured)

    before = queries()
    for month in range(1, 7):
        make_need(vip, title=f"Need {month}", next_on=datetime.date(2027, month, 1))
    make_suggestion(vip)
    assert queries() == before


# Set by hand
def test_a_need_is_added_in_place(concierge_client, vip):
    url = reverse("clients:need-create", args=[vip.pk])
    form = concierge_client.get(url, headers=HX)
    assert form.status_code == 200
    assert 'name="title"' in form.content.decode()
    response = concierge_client.post(url, form_data(), headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="section-needs"')
    assert "February ski trip" in body
    (need,) = AnticipatedNeed.objects.filter(client=vip)
    assert need.source == AnticipatedNeed.Source.MANUAL
    assert need.state == AnticipatedNeed.State.ACTIVE
    assert need.next_on == datetime.date(2027, 2, 10)
    assert need.remind_on == datetime.date(2027, 1, 11)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"title": ""}, "This field is required"),
        ({"recurrence": "interval", "interval_days": ""}, "Say every how many days"),
        ({"recurrence": "once", "next_on": "2026-10-01"}, "A one-off need is in the future"),
        ({"lead_days": "-2"}, "greater than or equal to 0"),
        ({"category": "spaceflight"}, "Select a valid choice"),
    ],
)
def test_a_wrong_need_shows_its_errors_in_place(concierge_client, vip, overrides, error):
    url = reverse("clients:need-create", args=[vip.pk])
    response = concierge_client.post(url, form_data(**overrides), headers=HX)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not AnticipatedNeed.objects.exists()


def test_every_n_days_and_every_month_are_kept(concierge_client, vip):
    url = reverse("clients:need-create", args=[vip.pk])
    concierge_client.post(
        url,
        form_data(title="Massage", category="wellness", recurrence="interval", interval_days="14"),
        headers=HX,
    )
    concierge_client.post(
        url, form_data(title="Flowers", recurrence="monthly", interval_days="9"), headers=HX
    )
    massage = AnticipatedNeed.objects.get(title="Massage")
    flowers = AnticipatedNeed.objects.get(title="Flowers")
    assert (massage.recurrence, massage.interval_days) == ("interval", 14)
    assert (flowers.recurrence, flowers.interval_days) == ("monthly", None)
    page = concierge_client.get(reverse("clients:detail", args=[vip.pk])).content.decode()
    assert "every 14 days" in page
    assert "every month" in page


def test_a_recurring_need_dated_in_the_past_starts_at_its_next_occurrence(concierge_client, vip):
    url = reverse("clients:need-create", args=[vip.pk])
    concierge_client.post(url, form_data(next_on="2025-02-10"), headers=HX)
    assert AnticipatedNeed.objects.get().next_on == datetime.date(2027, 2, 10)


def test_a_need_is_edited_in_place(concierge_client, vip):
    need = make_need(vip)
    url = reverse("clients:need-edit", args=[vip.pk, need.pk])
    form = concierge_client.get(url, headers=HX).content.decode()
    assert 'value="February ski trip"' in form
    response = concierge_client.post(
        url, form_data(title="Ski trip, Verbier", lead_days="10", version=need.version), headers=HX
    )
    assert response.status_code == 200
    assert "Ski trip, Verbier" in response.content.decode()
    need.refresh_from_db()
    assert (need.title, need.lead_days, need.remind_on) == (
        "Ski trip, Verbier",
        10,
        datetime.date(2027, 1, 31),
    )


def test_cancel_closes_the_form(concierge_client, vip):
    url = reverse("clients:need-create", args=[vip.pk])
    body = concierge_client.get(f"{url}?cancel=1", headers=HX).content.decode()
    assert 'name="title"' not in body
    assert 'id="section-needs"' in body


def test_a_need_set_by_hand_is_deleted(concierge_client, vip):
    need = make_need(vip)
    url = reverse("clients:need-delete", args=[vip.pk, need.pk])
    response = concierge_client.post(url, headers=HX)
    assert response.status_code == 200
    assert not AnticipatedNeed.objects.exists()


def test_a_learned_need_deleted_stays_rejected_so_it_is_not_learned_again(concierge_client, vip):
    need = make_suggestion(vip, state=AnticipatedNeed.State.ACTIVE)
    concierge_client.post(reverse("clients:need-delete", args=[vip.pk, need.pk]), headers=HX)
    need.refresh_from_db()
    assert need.state == AnticipatedNeed.State.REJECTED
    page = concierge_client.get(reverse("clients:detail", args=[vip.pk])).content.decode()
    assert "Ski week in Courchevel" not in page


def test_without_htmx_the_form_is_a_page_and_saving_goes_back_to_the_profile(concierge_client, vip):
    url = reverse("clients:need-create", args=[vip.pk])
    page = concierge_client.get(url)
    assert page.status_code == 200
    assert "<html" in page.content.decode() and 'name="title"' in page.content.decode()
    invalid = concierge_client.post(url, form_data(title=""))
    assert invalid.status_code == 200 and "This field is required" in invalid.content.decode()
    response = concierge_client.post(url, form_data())
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[vip.pk])


# Suggestions
def test_accepting_a_suggestion_makes_it_an_active_need(concierge_client, vip):
    need = make_suggestion(vip)
    response = concierge_client.post(
        reverse("clients:need-accept", args=[vip.pk, need.pk]), headers=HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Suggested from history" not in body
    assert "Ski week in Courchevel" in body
    need.refresh_from_db()
    assert need.state == AnticipatedNeed.State.ACTIVE
    assert need.source == AnticipatedNeed.Source.LEARNED


def test_rejecting_a_suggestion_hides_it(concierge_client, vip):
    need = make_suggestion(vip)
    response = concierge_client.post(
        reverse("clients:need-reject", args=[vip.pk, need.pk]), headers=HX
    )
    assert response.status_code == 200
    assert "Ski week in Courchevel" not in response.content.decode()
    need.refresh_from_db()
    assert need.state == AnticipatedNeed.State.REJECTED
    # A rejected suggestion cannot be accepted or edited any more.
    url = reverse("clients:need-accept", args=[vip.pk, need.pk])
    assert concierge_client.post(url, headers=HX).status_code == 404


def test_accepting_twice_is_harmless(concierge_client, vip):
    need = make_suggestion(vip)
    url = reverse("clients:need-accept", args=[vip.pk, need.pk])
    concierge_client.post(url, headers=HX)
    assert concierge_client.post(url, headers=HX).status_code == 200
    need.refresh_from_db()
    assert need.state == AnticipatedNeed.State.ACTIVE


def test_accept_and_reject_want_a_post(concierge_client, vip):
    need = make_suggestion(vip)
    for name in ("need-accept", "need-reject", "need-delete"):
        url = reverse(f"clients:{name}", args=[vip.pk, need.pk])
        assert concierge_client.get(url, headers=HX).status_code == 405


# Who may
def _every_url(client_pk, need_pk):
    return [
        ("get", reverse("clients:need-create", args=[client_pk])),
        ("post", reverse("clients:need-create", args=[client_pk])),
        ("get", reverse("clients:need-edit", args=[client_pk, need_pk])),
        ("post", reverse("clients:need-edit", args=[client_pk, need_pk])),
        ("post", reverse("clients:need-delete", args=[client_pk, need_pk])),
        ("post", reverse("clients:need-accept", args=[client_pk, need_pk])),
        ("post", reverse("clients:need-reject", args=[client_pk, need_pk])),
    ]


@pytest.mark.parametrize("who", ["colleague", "outsider", "outside_manager"])
def test_others_get_a_404_on_every_needs_url(client, request, vip, who):
    need = make_suggestion(vip)
    client.force_login(request.getfixturevalue(who))
    for method, url in _every_url(vip.pk, need.pk):
        for headers in ({}, HX):
            response = getattr(client, method)(url, form_data(), headers=headers)
            assert response.status_code == 404, (method, url)
    need.refresh_from_db()
    assert need.state == AnticipatedNeed.State.SUGGESTED
    assert AnticipatedNeed.objects.count() == 1


def test_a_need_of_another_client_is_a_404_through_this_one(concierge_client, concierge, vip):
    theirs = make_suggestion(ClientFactory())
    mine = ClientFactory(primary_concierge=concierge)
    for method, url in _every_url(mine.pk, theirs.pk)[2:]:
        response = getattr(concierge_client, method)(url, form_data(), headers=HX)
        assert response.status_code == 404, (method, url)


def test_the_backup_and_the_manager_may(client, manager, colleague, vip):
    vip.backup_concierge = colleague
    vip.save()
    need = make_suggestion(vip)
    for user in (colleague, manager):
        client.force_login(user)
        url = reverse("clients:need-edit", args=[vip.pk, need.pk])
        assert client.get(url, headers=HX).status_code == 200
    response = client.post(reverse("clients:need-accept", args=[vip.pk, need.pk]), headers=HX)
    assert response.status_code == 200


def test_signed_out_is_sent_to_sign_in(client, vip):
    response = client.get(reverse("clients:need-create", args=[vip.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_changes_to_anticipated_needs_are_in_the_clients_history(concierge_client, concierge):
    from clients.needs import need_create, need_update
    from tests.factories import ClientFactory

    client = ClientFactory(primary_concierge=concierge)
    need = need_create(
        client=client,
        by=concierge,
        title="Ski week",
        recurrence="yearly",
        next_on=datetime.date(2027, 2, 10),
        lead_days=21,
    )
    need_update(need=need, by=concierge, version=need.version, title="Ski week in Courchevel")
    html = concierge_client.get(
        f"/clients/{client.pk}/history/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "Ski week in Courchevel" in html and "Anticipated need" in html

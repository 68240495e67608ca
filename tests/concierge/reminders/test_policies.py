"""Tier policies: managers set lead times and cadences within sensible ranges; nobody else sees them."""

import datetime

import pytest
from django.test import Client as HttpClient

from concierge.models import Team, TierPolicy
from concierge.reminders.policies import tier_policies
from tests.factories import ClientFactory

HTMX = {"HX-Request": "true"}


def values(team="Rive Gauche", **overrides):
    data = {}
    for tier, numbers in {
        "private": (21, 10, 14, 12, 30, 24),
        "premium": (14, 7, 30, 24, 120, 48),
        "essential": (7, 3, 60, 48, 480, 96),
    }.items():
        for name, number in zip(
            (
                "birthday_lead_days",
                "date_lead_days",
                "contact_cadence_days",
                "follow_up_hours",
                "acknowledge_minutes",
                "deliver_hours",
            ),
            numbers,
            strict=True,
        ):
            data[f"{tier}-{name}"] = number
        # The version the form was opened at (0 before the tier's first save).
        saved = TierPolicy.objects.filter(tier=tier, team__name=team).first()
        data[f"{tier}-version"] = saved.version if saved else 0
    data.update(overrides)
    return data


def policy(tier, team="Rive Gauche"):
    """The policy the manager's team works with (its own row, else the defaults)."""
    return tier_policies(Team.objects.get(name=team).pk)[tier]


@pytest.mark.parametrize("who", ["concierge", "colleague", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_managers_see_the_policies(request, client, who, method):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)("/team/policies/", values())
    assert response.status_code == 404


def test_a_manager_sees_every_tier_with_its_values(manager_client):
    html = manager_client.get("/team/policies/").content.decode()
    assert html.index("Private") < html.index("Premium") < html.index("Essential")
    assert 'name="private-birthday_lead_days" value="21"' in html
    assert 'name="essential-contact_cadence_days" value="60"' in html
    assert 'min="1" max="365"' in html


def test_a_manager_saves_new_values_with_a_toast(manager_client):
    response = manager_client.post(
        "/team/policies/",
        values(**{"premium-birthday_lead_days": 21, "essential-follow_up_hours": 72}),
    )
    assert response.status_code == 302
    assert policy("premium").birthday_lead_days == 21
    assert policy("essential").follow_up_hours == 72
    assert "Policies saved." in manager_client.get("/team/policies/").content.decode()


def test_saving_in_place_answers_with_the_form_and_a_toast(manager_client):
    response = manager_client.post(
        "/team/policies/", values(**{"private-contact_cadence_days": 7}), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<form id="policy-form"')
    assert 'name="private-contact_cadence_days" value="7"' in html
    assert "Policies saved." in html
    assert policy("private").contact_cadence_days == 7


@pytest.mark.parametrize(
    "field, value",
    [
        ("premium-birthday_lead_days", -1),
        ("premium-birthday_lead_days", 91),
        ("premium-date_lead_days", ""),
        ("premium-contact_cadence_days", 0),
        ("premium-contact_cadence_days", 400),
        ("premium-follow_up_hours", 0),
        ("premium-follow_up_hours", 1000),
        ("premium-follow_up_hours", "soon"),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_is_saved(manager_client, field, value):
    response = manager_client.post(
        "/team/policies/", values(**{field: value, "private-birthday_lead_days": 30}), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "has-error" in html
    assert policy("private").birthday_lead_days == 21  # the valid change waits for the invalid one
    assert policy("premium").birthday_lead_days == 14


def test_a_missing_tier_gets_its_policy_on_save(manager_client):
    TierPolicy.objects.filter(tier="essential").delete()
    assert not TierPolicy.objects.filter(tier="essential").exists()
    html = manager_client.get("/team/policies/").content.decode()
    assert 'name="essential-birthday_lead_days" value="7"' in html  # the tier's defaults
    manager_client.post("/team/policies/", values(**{"essential-birthday_lead_days": 5}))
    assert policy("essential").birthday_lead_days == 5


def test_the_agenda_links_to_the_policies_for_managers_only(manager_client, client, concierge):
    assert 'href="/team/policies/"' in manager_client.get("/agenda/").content.decode()
    client.force_login(concierge)
    assert 'href="/team/policies/"' not in client.get("/agenda/").content.decode()


def test_each_team_has_its_own_policies_edited_by_its_own_manager(manager_client, outside_manager):
    other = HttpClient()
    other.force_login(outside_manager)
    other.post("/team/policies/", values(team="Monaco", **{"premium-birthday_lead_days": 40}))
    assert policy("premium", team="Monaco").birthday_lead_days == 40
    # The other team's edit changed nothing of ours, nor the defaults.
    assert policy("premium").birthday_lead_days == 14
    assert TierPolicy.objects.get(team__isnull=True, tier="premium").birthday_lead_days == 14
    manager_client.post("/team/policies/", values(**{"premium-birthday_lead_days": 3}))
    assert policy("premium").birthday_lead_days == 3
    assert policy("premium", team="Monaco").birthday_lead_days == 40


def test_service_levels_come_from_the_clients_team(manager_client, concierge):
    from requests.services import service_request_create

    manager_client.post("/team/policies/", values(**{"premium-acknowledge_minutes": 15}))
    client = ClientFactory(primary_concierge=concierge, tier="premium")
    sr = service_request_create(client=client, by=concierge, title="Dinner", category="dining")
    assert sr.acknowledge_by - sr.created_at == datetime.timedelta(minutes=15)


def test_the_sweep_looks_as_far_ahead_as_the_longest_lead_even_without_rows(db):
    from concierge.reminders.policies import all_policies

    TierPolicy.objects.all().delete()
    assert max(p.birthday_lead_days for p in all_policies().all()) == 21  # the private tier's

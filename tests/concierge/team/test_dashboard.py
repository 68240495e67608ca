"""/team/: per concierge, the figures and their trends, computed by the database in a fixed number
of queries; each figure leads to the list behind it; only the team's manager sees it."""

import datetime
import re
import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.reminders.models import Reminder
from concierge.team.dashboard import team_dashboard_forget
from requests.models import Feedback
from tests.factories import ClientFactory, ServiceRequestFactory


def populate(concierge, colleague, count):
    now = timezone.now()
    for i in range(count):
        owner = concierge if i % 2 else colleague
        client = ClientFactory(
            primary_concierge=owner, tier=["private", "premium", "essential"][i % 3]
        )
        sr = ServiceRequestFactory(client=client, assignee=owner)
        created = now - datetime.timedelta(days=i % 60)
        sr.created_at = created
        sr.acknowledged_at = created + datetime.timedelta(minutes=10 + 5 * (i % 7))
        sr.status = "acknowledged" if i % 4 else "fulfilled"
        sr.save()
        if i % 4 == 0:
            Feedback.objects.create(
                service_request=sr,
                score=10 - i % 6,
                recorded_at=now - datetime.timedelta(days=i % 80),
            )
        Reminder.objects.create(
            owner=owner,
            client=client,
            kind=Reminder.Kind.MANUAL,
            note="Call",
            due_at=now - datetime.timedelta(days=1 + i % 20),
            dedupe_key=f"dash:{uuid.uuid4().hex}",
        )


def test_the_dashboard_costs_the_same_queries_for_5_or_50_clients(
    manager_client, concierge, colleague
):
    counts = []
    for count in (5, 50):
        populate(concierge, colleague, count)
        team_dashboard_forget(concierge.team_id)  # computed, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get("/team/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


def test_each_figure_leads_to_its_list(manager_client, concierge, colleague):
    populate(concierge, colleague, 12)
    html = manager_client.get("/team/").content.decode()
    assert f"/clients/?concierge={concierge.pk}" in html
    assert f"/clients/?concierge={concierge.pk}&amp;tier=private" in html
    assert f"/requests/?assignee={concierge.pk}&amp;status=open" in html
    assert f"/team/members/{concierge.pk}/reminders/" in html
    assert "/requests/satisfaction/?days=30" in html
    assert '<svg class="spark' in html and "<polyline" in html
    overdue = manager_client.get(f"/team/members/{concierge.pk}/reminders/").content.decode()
    assert overdue.count('class="row"') == 6
    assert "<html" in overdue


def test_the_figures_are_right(manager_client, concierge, colleague):
    client = ClientFactory(primary_concierge=concierge, tier="private")
    now = timezone.now()
    for minutes, score in ((10, 10), (20, 9), (60, 3)):
        sr = ServiceRequestFactory(client=client, assignee=concierge)
        sr.created_at = now - datetime.timedelta(days=3)
        sr.acknowledged_at = sr.created_at + datetime.timedelta(minutes=minutes)
        sr.status = "fulfilled"
        sr.save()
        Feedback.objects.create(service_request=sr, score=score, recorded_at=now)
    from concierge.team.dashboard import team_dashboard

    row = next(
        r
        for r in team_dashboard(concierge.team and manager_for(concierge)).rows
        if r.member == concierge
    )
    assert row.clients == 1 and row.tiers == {"private": 1}
    assert row.ack_median == datetime.timedelta(minutes=20)
    assert row.sat30.average == round(22 / 3, 1)
    assert row.sat30.nps == 33  # 2 promoters, 1 detractor of 3


def manager_for(concierge):
    from concierge.models import User

    return User.objects.get(team=concierge.team, role="manager")


@pytest.mark.parametrize("who", ["concierge", "colleague", "outsider"])
def test_only_managers_see_the_dashboard(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/team/").status_code == 404


def test_another_teams_manager_sees_none_of_ours(client, outside_manager, concierge, colleague):
    populate(concierge, colleague, 4)
    client.force_login(outside_manager)
    html = client.get("/team/").content.decode()
    assert "Camille" not in html
    assert client.get(f"/team/members/{concierge.pk}/reminders/").status_code == 404
    assert client.get(f"/team/members/{concierge.pk}/access/").status_code == 404


def clients_figure(html: str, member) -> int:
    found = re.search(rf'href="/clients/\?concierge={member.pk}" class="figure-value">(\d+)<', html)
    return int(found.group(1))


def test_the_figures_are_a_minute_old_at_most_and_say_so(
    manager_client, concierge, colleague, settings
):
    """Read from the cache within its lifetime (the page says as of when), computed again after."""
    settings.TEAM_DASHBOARD_TTL = 1
    populate(concierge, colleague, 4)
    first = manager_client.get("/team/").content.decode()
    assert clients_figure(first, concierge) == 2
    assert "Figures as of" in first
    ClientFactory(primary_concierge=concierge)  # a change the dashboard is not told about
    cached = manager_client.get("/team/").content.decode()
    assert clients_figure(cached, concierge) == 2
    time.sleep(1.5)  # past the lifetime (later is only more certain on a loaded machine)
    assert clients_figure(manager_client.get("/team/").content.decode(), concierge) == 3


def test_the_managers_own_reassignment_shows_at_once(
    manager_client, concierge, colleague, django_capture_on_commit_callbacks
):
    populate(concierge, colleague, 4)
    assert clients_figure(manager_client.get("/team/").content.decode(), concierge) == 2
    theirs = ClientFactory._meta.model.objects.filter(primary_concierge=colleague).first()
    with django_capture_on_commit_callbacks(execute=True):  # the cache is cleared on commit
        response = manager_client.post(
            f"/clients/{theirs.pk}/assign/", {"concierge": concierge.pk, "action": "assign"}
        )
    assert response.status_code == 302
    html = manager_client.get("/team/").content.decode()
    assert clients_figure(html, concierge) == 3
    assert clients_figure(html, colleague) == 1


def test_the_dashboard_is_read_in_the_readers_language_from_the_same_cache(
    manager_client, manager, concierge, colleague
):
    populate(concierge, colleague, 4)
    assert "Figures as of" in manager_client.get("/team/").content.decode()
    manager.language = "fr"
    manager.save(update_fields=["language"])
    html = manager_client.get("/team/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Chiffres arrêtés à" in html and "Figures as of" not in html

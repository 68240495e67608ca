"""The satisfaction page /requests/satisfaction/: responses, average and NPS, for managers only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from requests.models import Feedback
from requests.satisfaction import Figures, feedback_for, report
from tests.conftest import make_user
from tests.factories import ClientFactory, ServiceRequestFactory

URL = reverse("requests:satisfaction")


def feedback(client, score, *, category="dining", words="", days_ago=1, assignee=None):
    service_request = ServiceRequestFactory(
        client=client,
        category=category,
        status="closed",
        **({"assignee": assignee} if assignee else {}),
    )
    return Feedback.objects.create(
        service_request=service_request,
        score=score,
        words=words,
        recorded_at=timezone.now() - dt.timedelta(days=days_ago),
    )


@pytest.fixture
def known(concierge, colleague):
    """Camille: 10, 9, 7, 3 (avg 7.25, NPS +25); Julien: 6 (NPS −100)."""
    mine = ClientFactory(last_name="d'Harcourt", primary_concierge=concierge)
    theirs = ClientFactory(last_name="Rossi", primary_concierge=colleague)
    feedback(mine, 10, words="Flawless, as always.")
    feedback(mine, 9, category="travel")
    feedback(mine, 7, category="travel", words="The car was late.")
    feedback(mine, 3, words="Wrong table, by the kitchen door.")
    feedback(theirs, 6, category="gifts")


def test_a_concierge_gets_a_404(concierge_client):
    assert concierge_client.get(URL).status_code == 404


def figures(f: Figures) -> tuple:
    return (f.responses, f.average, f.promoters, f.detractors, f.nps)


def test_the_figures_are_exactly_right_on_a_known_set(manager, team, known):
    mine_only = feedback_for(manager, days=30).filter(
        service_request__client__last_name="d'Harcourt"
    )
    overall = report(mine_only, team=team.pk).overall
    assert figures(overall) == (4, 7.25, 2, 1, 25)
    assert overall.passives == 1
    team_wide = report(feedback_for(manager, days=30), team=team.pk).overall
    assert figures(team_wide) == (5, 7.0, 2, 2, 0)


def test_nps_rounds_half_away_from_zero_and_is_none_without_responses():
    assert Figures(responses=8, promoters=1, detractors=0).nps == 13  # 12.5 %
    assert Figures(responses=8, promoters=0, detractors=1).nps == -13
    assert Figures().nps is None and Figures().average is None


def test_per_concierge_and_per_category(manager, concierge, colleague, team, known):
    newcomer = make_user("newcomer", team=team, first_name="Zoé")
    found = report(feedback_for(manager, days=30), team=team.pk)
    lines = {line.label: figures(line.figures) for line in found.per_concierge}
    assert lines["Camille Laurent"] == (4, 7.25, 2, 1, 25)
    assert lines["Julien"] == (1, 6.0, 0, 1, -100)
    # A concierge without feedback is listed too.
    assert lines[newcomer.display_name] == (0, None, 0, 0, None)
    categories = {line.label: figures(line.figures) for line in found.per_category}
    assert list(categories) == ["Dining", "Travel", "Gifts"]
    assert categories["Dining"] == (2, 6.5, 1, 1, 0)
    assert categories["Travel"] == (2, 8.0, 1, 0, 50)
    assert categories["Gifts"] == (1, 6.0, 0, 1, -100)


def test_requests_nobody_is_assigned_to_get_their_own_line(manager, team, concierge):
    unassigned = ServiceRequestFactory(
        client=ClientFactory(primary_concierge=concierge), assignee=None, status="closed"
    )
    Feedback.objects.create(service_request=unassigned, score=9)
    lines = {
        line.label: figures(line.figures)
        for line in report(feedback_for(manager, days=30), team=team.pk).per_concierge
    }
    assert lines["Unassigned"] == (1, 9.0, 1, 0, 100)


def test_the_page_shows_the_figures(manager_client, known):
    response = manager_client.get(URL, {"days": 30})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Camille Laurent" in html and "Julien" in html
    assert "7.3" in html  # Camille's average, to one decimal
    assert "+25" in html and "-100" in html
    assert "Flawless, as always." in html and "Wrong table, by the kitchen door." in html
    assert response.context["overall"].responses == 5


def test_the_latest_words_come_first_and_silent_scores_are_left_out(manager_client, concierge):
    mine = ClientFactory(primary_concierge=concierge)
    feedback(mine, 10, words="Older words", days_ago=5)
    feedback(mine, 9, words="Newest words", days_ago=1)
    feedback(mine, 8, words="", days_ago=0)
    latest = list(manager_client.get(URL).context["latest"])
    assert [f.words for f in latest] == ["Newest words", "Older words"]


def test_the_period_selects_feedback_by_when_it_was_recorded(manager_client, concierge):
    mine = ClientFactory(primary_concierge=concierge)
    feedback(mine, 10, days_ago=10)
    feedback(mine, 2, days_ago=60)
    feedback(mine, 5, days_ago=200)
    feedback(mine, 9, days_ago=400)
    responses = {
        days: manager_client.get(URL, {"days": days}).context["overall"].responses
        for days in (30, 90, 365)
    }
    assert responses == {30: 1, 90: 2, 365: 3}
    # An unknown period falls back to the default (90 days).
    assert manager_client.get(URL, {"days": "7"}).context["days"] == 90


def test_another_teams_feedback_is_never_counted(client, manager, outsider, concierge):
    feedback(ClientFactory(primary_concierge=outsider), 0, words="Monaco complaint")
    feedback(ClientFactory(primary_concierge=concierge), 10)
    client.force_login(manager)
    response = client.get(URL)
    assert response.context["overall"].responses == 1
    assert "Monaco complaint" not in response.content.decode()


def test_a_manager_without_feedback_sees_an_empty_page(manager_client):
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert "No feedback in this period." in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_feedback(
    manager_client, concierge, colleague, django_assert_max_num_queries
):
    mine = ClientFactory(primary_concierge=concierge)
    for i in range(40):
        feedback(mine, i % 11, category=["dining", "travel", "gifts"][i % 3], words=f"Words {i}")
    # Session, user, the team's members (scoping), the grouped figures, the people, the latest
    # words, and the layout's team.
    with django_assert_max_num_queries(7):
        manager_client.get(URL)

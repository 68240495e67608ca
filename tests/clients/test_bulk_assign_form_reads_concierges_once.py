"""The list's reassignment bar offers the team's concierges in two selects from one plain query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.forms import BulkAssignForm


def test_both_selects_come_from_one_query(manager, concierge, colleague):
    form = BulkAssignForm(user=manager, initial={"move_requests": True})
    with CaptureQueriesContext(connection) as queries:
        html = str(form["concierge"]) + str(form["backup"])
    assert len(queries) == 1 and "CURSOR" not in queries[0]["sql"].upper()
    for person in (concierge, colleague):
        assert html.count(f'value="{person.pk}"') == 2
    assert "Choose a concierge" in html and "Keep each client’s backup" in html


def test_a_ticked_choice_is_still_checked_against_the_team(manager, concierge, outsider):
    data = {"concierge": outsider.pk, "action": "assign", "clients": []}
    form = BulkAssignForm(data, user=manager)
    assert not form.is_valid() and "concierge" in form.errors
    form = BulkAssignForm({**data, "concierge": concierge.pk}, user=manager)
    form.is_valid()
    assert "concierge" not in form.errors

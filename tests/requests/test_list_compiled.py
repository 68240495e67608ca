"""The request list's count and windows, built and compiled once per shape and window
(`listing.CompiledOpenFirst`), give what the ORM gives (`OpenFirst` over the visible requests):
the same capped count, the same rows in the same order on every page, with their client's and
assignee's names, for every filter and at several moments."""

import datetime as dt

import pytest
import time_machine

from concierge.common.paging import CappedPaginator
from requests import listing
from requests.models import ServiceRequest
from tests.conftest import make_user
from tests.factories import ClientFactory, ServiceRequestFactory

START = dt.datetime(2025, 1, 15, 8, 0, tzinfo=dt.UTC)
FILTERS = [
    {},
    {"assignee": "all"},
    {"assignee": "none"},
    {"status": "open", "assignee": "all"},
    {"status": "closed"},
    {"due": "overdue", "assignee": "all"},
    {"due": "today"},
    {"due": "week", "category": "travel", "assignee": "all"},
    {"client": "harc", "assignee": "all"},
    {"client": "zzzz"},
]


def orm_rows(user, filters):
    """The list as the ORM reads it: the visible requests, filtered, open first."""
    visible = ServiceRequest.objects.visible_to(user)
    return listing.OpenFirst(filters.filter(visible).select_related("client", "assignee"))


def row(sr) -> tuple:
    if isinstance(sr, ServiceRequest):
        assignee = sr.assignee.display_name if sr.assignee else None
        return (sr.pk, sr.title, sr.status, sr.category, sr.priority, sr.due_at,
                sr.acknowledge_by, sr.client.display_name, sr.assignee_id, assignee)  # fmt: skip
    return (sr.pk, sr.title, sr.status, sr.category, sr.priority, sr.due_at,
            sr.acknowledge_by, sr.client_name, sr.assignee_id, sr.assignee_name)  # fmt: skip


def pages(rows, per_page: int) -> list:
    """Every page as the list's paginator reads it, and past the last."""
    paginator = CappedPaginator(rows, per_page, cap=9)
    first = paginator.get_page(1)
    seen = [(paginator.count, paginator.capped, paginator.num_pages)]
    for number in range(1, first.paginator.num_pages + 2):
        again = CappedPaginator(rows, per_page, cap=9)
        page = again.get_page(number)
        seen.append((number, again.count, again.capped, [row(sr) for sr in page.object_list]))
    return seen


@pytest.fixture
def requests_(concierge, colleague, manager):
    mine = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    backed = ClientFactory(
        preferred_name="Max", last_name="Moreau", primary_concierge=colleague,
        backup_concierge=concierge,
    )  # fmt: skip
    theirs = ClientFactory(last_name="Rossi", primary_concierge=colleague)
    nameless = make_user("nameless", team=concierge.team)
    statuses = ["new", "acknowledged", "in_progress", "fulfilled", "closed", "cancelled"]
    with time_machine.travel(START, tick=False):
        for i in range(70):
            ServiceRequestFactory(
                client=(mine, backed, theirs)[i % 3],
                title=f"Request {i}",
                status=statuses[i % len(statuses)],
                category=("travel", "dining", "wellness")[i % 3 - 1 if i % 5 else 0],
                priority=("urgent", "normal", "low")[i % 3],
                assignee=(concierge, colleague, None, nameless)[(i // 3) % 4],
                # Shared due moments and creation times: the order's later keys decide.
                due_at=None if i % 11 == 0 else START + dt.timedelta(hours=20 * (i % 6) - 50),
                created_at=START - dt.timedelta(minutes=(i * 7) % 30),
            )


@pytest.mark.parametrize(
    "params", FILTERS, ids=lambda p: "&".join(map("=".join, p.items())) or "default"
)
def test_the_compiled_list_reads_what_the_orm_reads(requests_, concierge, manager, params):
    for user in (concierge, manager):
        for hours in (0, 30, 24 * 5):  # each moment runs the SQL compiled at the first
            with time_machine.travel(START + dt.timedelta(hours=hours), tick=False):
                filters = listing.RequestFilterForm(params, user=user)
                compiled = listing.request_rows(user, filters)
                assert isinstance(compiled, listing.CompiledOpenFirst)
                for per_page in (4, 25):
                    got = pages(compiled, per_page)
                    assert got == pages(orm_rows(user, filters), per_page), (user, hours)
    # Not empty lists by accident.
    with time_machine.travel(START, tick=False):
        shown = pages(listing.request_rows(manager, listing.RequestFilterForm({}, user=manager)), 4)
    assert shown[0][0] == 9 and shown[0][1]  # capped: more than 9
    assert len(shown) > 4


def test_a_user_who_sees_no_client_reads_nothing(requests_, outsider):
    filters = listing.RequestFilterForm({"assignee": "all"}, user=outsider)
    empty = [(0, False, 1), (1, 0, False, []), (2, 0, False, [])]  # the last page, and past it
    assert pages(listing.request_rows(outsider, filters), 25) == empty

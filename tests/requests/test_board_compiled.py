"""The board's queries, built and compiled once per shape (`concierge.common.compiled`), give what
the ORM gives: the same totals and the same cards, with their client's and assignee's names and
feedback, for every filter and at several moments (each run puts its own moments in the compiled
SQL)."""

import datetime as dt

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from requests import listing
from requests.models import Feedback, ServiceRequest, Status
from tests.conftest import make_user
from tests.factories import ClientFactory, ServiceRequestFactory

START = dt.datetime(2025, 1, 15, 8, 0, tzinfo=dt.UTC)
FILTERS = [
    {},
    {"assignee": "all"},
    {"assignee": "none"},
    {"due": "overdue"},
    {"due": "today", "assignee": "all"},
    {"due": "week", "category": "travel"},
    {"client": "harc", "assignee": "all"},
    {"category": "dining", "due": "overdue", "assignee": "me"},
]


def expected(user, filters: listing.RequestFilterForm) -> dict:
    """The board as the ORM reads it, one plain queryset per column."""
    since = timezone.now() - listing.FOLDED_HISTORY
    on_board = filters.filter(ServiceRequest.objects.visible_to(user), statuses=False)
    board = {}
    for status in listing.BOARD_STATUSES:
        column = on_board.filter(status=status)
        if status in listing.FOLDED_STATUSES:
            column = column.filter(due_at__gte=since)
            ended = "closed_at" if status == Status.CLOSED else "cancelled_at"
            shown = column.order_by(F(ended).desc(nulls_last=True), "-id")[:5]
        else:
            order = (F("due_at").asc(nulls_last=True), "-created_at", "-id")
            shown = column.order_by(*order)[: listing.CARDS_PER_COLUMN]
        board[status] = (
            min(column.count(), listing.COLUMN_COUNTED + 1),
            [card(sr) for sr in shown],
        )
    return board


def card(sr) -> tuple:
    return (
        sr.pk,
        sr.title,
        sr.status,
        sr.category,
        sr.priority,
        sr.due_at,
        sr.acknowledge_by,
        sr.client.display_name,
        sr.assignee.display_name if sr.assignee else None,
        hasattr(sr, "feedback"),
    )


def read_card(c: listing.Card) -> tuple:
    return (
        c.pk,
        c.title,
        c.status,
        c.category,
        c.priority,
        c.due_at,
        c.acknowledge_by,
        c.client_name,
        c.assignee_name,
        c.has_feedback,
    )


def compiled_board(user, filters) -> dict:
    return {
        column.status: (column.total, [read_card(c) for c in column.cards])
        for column in listing.board_columns(user, filters)
    }


@pytest.fixture
def board(concierge, colleague, manager):
    mine = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    backed = ClientFactory(
        preferred_name="Max",
        last_name="Moreau",
        primary_concierge=colleague,
        backup_concierge=concierge,
    )
    nameless = make_user("nameless", team=concierge.team)  # named by their username
    theirs = ClientFactory(last_name="Rossi", primary_concierge=colleague)
    with time_machine.travel(START, tick=False):
        for i in range(60):
            client = (mine, backed, theirs)[i % 3]
            status = listing.BOARD_STATUSES[i % len(listing.BOARD_STATUSES)]
            sr = ServiceRequestFactory(
                client=client,
                title=f"Request {i}",
                status=status,
                category=("travel", "dining", "wellness")[i % 3 - 1 if i % 5 else 0],
                priority=("urgent", "normal", "low")[i % 3],
                assignee=(concierge, colleague, None, nameless)[(i // 3) % 4],
                # Shared due moments, so that the later created and then the higher id come first.
                due_at=None if i % 11 == 0 else START + dt.timedelta(hours=20 * (i % 6) - 50),
                created_at=START - dt.timedelta(minutes=(i * 7) % 30),
                acknowledge_by=START + dt.timedelta(hours=i - 30) if status == "new" else None,
                closed_at=START - dt.timedelta(days=i % 7) if status == "closed" else None,
                cancelled_at=START - dt.timedelta(days=i % 5) if status == "cancelled" else None,
            )
            if status in ("fulfilled", "closed") and i % 2:
                Feedback.objects.create(service_request=sr, score=8)
        # Either side of the folded columns' 30 days, at the first moment and 20 days later.
        for days in (29, 31):
            for status in listing.FOLDED_STATUSES:
                ServiceRequestFactory(
                    client=mine,
                    title=f"{status} {days} days ago",
                    status=status,
                    assignee=concierge,
                    due_at=START - dt.timedelta(days=days),
                )


@pytest.mark.parametrize(
    "params", FILTERS, ids=lambda p: "&".join(map("=".join, p.items())) or "default"
)
def test_the_compiled_board_reads_what_the_orm_reads(board, concierge, manager, params):
    for user in (concierge, manager):
        for hours in (0, 5, 30, 24 * 20):  # each moment runs the SQL compiled at the first
            with time_machine.travel(START + dt.timedelta(hours=hours), tick=False):
                filters = listing.RequestFilterForm(params, user=user)
                got = compiled_board(user, filters)
                assert got == expected(user, filters), (user.username, hours)
    # Not a board of empty columns by accident.
    filters = listing.RequestFilterForm({"assignee": "all"}, user=concierge)
    with time_machine.travel(START, tick=False):
        shown = compiled_board(concierge, filters)
    assert sum(len(cards) for _total, cards in shown.values()) >= 20
    assert any(c[-1] for _total, cards in shown.values() for c in cards)  # a feedback read

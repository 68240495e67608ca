"""The requests page: its filters, the list (open first) and the board (one column per status).

Every query starts from `ServiceRequest.objects.visible_to(user)`; the filters only narrow it.
The list costs a count and one or two page queries, the board one query for its counts and at
most one per column, whatever the number of requests.
"""

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache

from django import forms
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import NOBODY as SEES_NO_CLIENT
from clients.models import Client, client_access
from clients.search import fold
from concierge.common import compiled
from concierge.common.compiled import as_datetime
from concierge.common.paging import CappedCount
from concierge.models import User

from .models import OPEN_STATUSES, Category, ServiceRequest, Status

# The board: open work first, then what waits for feedback; closed and cancelled come folded.
BOARD_STATUSES = [*OPEN_STATUSES, Status.FULFILLED, Status.CLOSED, Status.CANCELLED]
FOLDED_STATUSES = (Status.CLOSED, Status.CANCELLED)
# A board of 7 columns stays under its transfer budget (README): the rest is behind "more".
CARDS_PER_COLUMN = 8
CARDS_PER_FOLDED_COLUMN = 5
COLUMN_COUNTED = 99  # a column's total above this says "99+" (as the bell)
# Closed and cancelled columns show recent history only, so the board never sorts the archive.
FOLDED_HISTORY = timedelta(days=30)

# What a row of the list or a card of the board reads (a Card), not every column of
# the request, its client and its assignee: a third of the SQL to build and of the values to read.
SHOWN = (
    "title",
    "category",
    "status",
    "priority",
    "due_at",
    "acknowledge_by",
    "client__preferred_name",
    "client__first_name",
    "client__last_name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)

OPEN = "open"
DUE_OVERDUE, DUE_TODAY, DUE_WEEK = "overdue", "today", "week"
ME, EVERYONE, NOBODY = "me", "all", "none"
VIEW_LIST, VIEW_BOARD = "list", "board"
# What changes the SQL of the board's queries besides the user's rule (the status filter does not).
SHAPED_BY = ("due", "client", "category", "assignee")


def team_members(user):
    return User.objects.filter(team_id=user.team_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices no form changes: each form shares them (Django deep-copies
    every field's choices, their labels and its widget's for each form: 1,000 calls a page)."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class RequestFilterForm(forms.Form):
    """`?status=&due=&client=&category=&assignee=&view=`: all optional; a bad value is ignored.

    `assignee` left empty means the default of the role: a concierge sees the requests assigned
    to them, a manager the whole team's.
    """

    status = FixedChoiceField(
        required=False,
        choices=[("", _("All statuses")), (OPEN, _("Open")), *Status.choices],
    )
    due = FixedChoiceField(
        required=False,
        choices=[
            ("", _("Any time")),
            (DUE_OVERDUE, _("Overdue")),
            (DUE_TODAY, _("Today")),
            (DUE_WEEK, _("This week")),
        ],
    )
    client = forms.CharField(required=False, max_length=100)
    category = FixedChoiceField(
        required=False, choices=[("", _("All categories")), *Category.choices]
    )
    assignee = forms.ChoiceField(required=False)
    view = FixedChoiceField(
        required=False, choices=[(VIEW_LIST, _("List")), (VIEW_BOARD, _("Board"))]
    )

    NAMES = ("status", "due", "client", "category", "assignee", "view")

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        if user.is_manager:
            members = [(str(u.pk), u.display_name) for u in team_members(user).exclude(pk=user.pk)]
            self.fields["assignee"].choices = [
                ("", _("Whole team")),
                (ME, _("Assigned to me")),
                (NOBODY, _("Unassigned")),
                *members,
            ]
        else:
            self.fields["assignee"].choices = [
                ("", _("Assigned to me")),
                (EVERYONE, _("All my clients' requests")),
            ]
        self.is_valid()

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name) or ""

    @property
    def is_board(self) -> bool:
        return self.value("view") == VIEW_BOARD

    @property
    def mine_only(self) -> bool:
        assignee = self.value("assignee")
        return assignee == ME or (not assignee and not self.user.is_manager)

    @property
    def narrowed(self) -> bool:
        """True when a filter other than the view hides something of the default page."""
        return any(self.value(name) for name in self.NAMES if name != "view")

    def params(self, **overrides) -> dict[str, str]:
        """The non-empty parameters, for links and the address bar."""
        values = {name: self.value(name) for name in self.NAMES}
        values.update(overrides)
        return {name: value for name, value in values.items() if value}

    def filter(self, queryset, *, statuses=True, bounds: dict | None = None):
        """Narrow `queryset` (already scoped to the user); the board does not filter by status.
        `bounds`: the due filter's moments (`due_bounds()`), given by a compiled query's build."""
        assignee = self.value("assignee")
        if self.mine_only:
            queryset = queryset.filter(assignee=self.user)
        elif assignee == NOBODY:
            queryset = queryset.filter(assignee__isnull=True)
        elif assignee and assignee != EVERYONE:
            queryset = queryset.filter(assignee_id=assignee)
        status = self.value("status") if statuses else ""
        if status == OPEN:
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        elif status:
            queryset = queryset.filter(status=status)
        if category := self.value("category"):
            queryset = queryset.filter(category=category)
        for term in fold(self.value("client")).split()[:5]:
            queryset = queryset.filter(client__search_text__contains=term)
        if bounds is None:
            bounds = self.due_bounds(timezone.now())
        return self._filter_due(queryset, bounds)

    def due_bounds(self, now) -> dict:
        """The moments the due filter compares with, by name (none without it)."""
        due = self.value("due")
        if not due:
            return {}
        if due == DUE_OVERDUE:
            return {"due_before": now}
        # "Today" and "this week" are the concierge's own calendar (their time zone is active).
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if due == DUE_TODAY:
            end = today + timedelta(days=1)
        else:
            end = today + timedelta(days=7 - today.weekday())
        return {"due_from": today, "due_before": end}

    def _filter_due(self, queryset, bounds: dict):
        due = self.value("due")
        if due == DUE_OVERDUE:
            return queryset.filter(status__in=OPEN_STATUSES, due_at__lt=bounds["due_before"])
        if due:
            return queryset.filter(due_at__gte=bounds["due_from"], due_at__lt=bounds["due_before"])
        return queryset


class OpenFirst:
    """The rows of the list: open requests, the most urgent first, then the others, latest first.

    Two ordered queries instead of one ORDER BY CASE: open requests are few and found through the
    status indexes, so the first pages never sort the whole history. Counted by CappedPaginator
    (`order_by()` gives it the rows unordered): no page counts the whole history.
    """

    def __init__(self, queryset):
        self.queryset = queryset
        self.open = queryset.filter(status__in=OPEN_STATUSES).order_by(
            F("due_at").asc(nulls_last=True), "-created_at", "-id"
        )
        self.rest = queryset.exclude(status__in=OPEN_STATUSES).order_by("-created_at", "-id")

    def order_by(self, *fields):
        return self.queryset.order_by(*fields)

    def _read(self, part: str, start: int, stop: int) -> list:
        return list(getattr(self, part)[start:stop])

    def _count(self, part: str, stop: int) -> int:
        return getattr(self, part).order_by()[:stop].count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if start == 0:
            # The first page: its open requests are read; fewer than asked for is their number.
            rows = self._read("open", 0, stop)
            if len(rows) == stop:
                return rows
            return rows + self._read("rest", 0, stop - len(rows))
        # Open requests counted only as far as the window reaches: enough to split it.
        open_count = self._count("open", stop)
        rows = []
        if start < open_count:
            rows += self._read("open", start, min(stop, open_count))
        if stop > open_count:
            rows += self._read("rest", max(start - open_count, 0), stop - open_count)
        return rows


# What a row of the list reads, as `values_list()` names (a `Card`, as the board's).
LIST_COLUMNS = (
    "id",
    *(name for name in SHOWN if "__" not in name),
    "client__preferred_name",
    "client__first_name",
    "client__last_name",
    "assignee__id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


class CompiledOpenFirst(OpenFirst):
    """`OpenFirst` whose count and windows are built and compiled once per shape and window
    (`concierge.common.compiled`), its rows read as `Card`s: building and compiling them, and a
    request, client and assignee per row, were half of the list's Python work.

    `on_list(marks)`: the visible requests, filtered, with the moments' markers; `shape`: what
    else their SQL depends on (the user's rule, the filters)."""

    def __init__(self, shape: tuple, on_list, values: dict, user_pk: int):
        self.shape, self.on_list, self.values, self.user_pk = shape, on_list, values, user_pk

    def _query(self, part: str, marks: dict):
        return getattr(OpenFirst(self.on_list(marks)), part)

    def order_by(self, *fields):
        # CappedPaginator counts `order_by()[:n].count()`: the same count, compiled.
        return _CountedUpTo(self)

    def _read(self, part: str, start: int, stop: int) -> list:
        if start >= stop:  # an empty window (a page of an empty list): no SQL
            return []

        def build(**marks):
            return self._query(part, marks).values_list(*LIST_COLUMNS)[start:stop]

        rows = compiled.rows((*self.shape, part, start, stop), build, self.values)
        return _as_datetimes(_cards(rows, LIST_COLUMNS))

    def _count(self, part: str, stop: int) -> int:
        if not stop:
            return 0

        def build(**marks):
            counted = CappedCount(self._query(part, marks), stop)
            return User.objects.filter(pk=self.user_pk).values_list(counted)

        ((counted,),) = compiled.rows((*self.shape, "count", part, stop), build, self.values)
        return counted


class _CountedUpTo:
    """`rows.order_by()[:stop].count()` of a `CompiledOpenFirst`, as CappedPaginator asks it."""

    def __init__(self, rows: CompiledOpenFirst, stop: int | None = None):
        self.rows, self.stop = rows, stop

    def __getitem__(self, window: slice):
        return _CountedUpTo(self.rows, window.stop)

    def count(self) -> int:
        return self.rows._count("queryset", self.stop)


def request_rows(user, filters: RequestFilterForm, now=None) -> OpenFirst:
    rule = client_access(user, through="client__")
    if rule is SEES_NO_CLIENT:
        return OpenFirst(ServiceRequest.objects.none())
    bounds = filters.due_bounds(now or timezone.now())
    # Whatever the SQL holds besides the moments: the rule, whose requests, the other filters.
    shape = ("list", rule, user.pk, filters.mine_only, *(filters.value(name) for name in SHAPED_BY))
    shape += (filters.value("status"),)

    def on_list(marks):
        visible = ServiceRequest.objects.filter(rule)
        return filters.filter(visible, bounds={name: marks[name] for name in bounds})

    return CompiledOpenFirst(shape, on_list, bounds, user.pk)


@dataclass
class Column:
    status: str
    label: str
    total: int = 0
    cards: list = field(default_factory=list)

    @property
    def folded(self) -> bool:
        return self.status in FOLDED_STATUSES

    @property
    def more(self) -> int:
        return self.total - len(self.cards)

    @property
    def capped(self) -> bool:
        return self.total > COLUMN_COUNTED

    @property
    def counted(self) -> int:
        return COLUMN_COUNTED


def _in_column(on_board, status, since):
    # One status, stated plainly (no OR over all the board's statuses, which led the planner to
    # walk the client index for the closed column: 24 ms at 100,000 clients). Closed and
    # cancelled: recent history only, found through the same indexes.
    if status in FOLDED_STATUSES:
        return on_board.filter(status=status, due_at__gte=since)
    return on_board.filter(status=status)


@cache
def _card_columns() -> tuple[str, ...]:
    """What a card reads, as `values_list()` names (each model's in the order of its fields)."""

    def of(relation: str) -> list[str]:
        return [name.split("__", 1)[1] for name in SHOWN if name.startswith(f"{relation}__")]

    wanted = {
        ServiceRequest: (
            "id",
            *(name for name in SHOWN if "__" not in name),
            # The columns' orders (the board's single query is sorted again in Python).
            "created_at",
            "closed_at",
            "cancelled_at",
        ),
        Client: ("id", *of("client")),
        User: ("id", *of("assignee")),
    }
    attnames = {
        model: [f.attname for f in model._meta.concrete_fields if f.attname in names]
        for model, names in wanted.items()
    }
    return (
        *attnames[ServiceRequest],
        *(f"client__{name}" for name in attnames[Client]),
        *(f"assignee__{name}" for name in attnames[User]),
        "feedback__id",
    )


class Card:
    """A request on the board or the list, as much of it as its card or row shows (and a board's
    column sorts by), read from a row of their query: three model instances per card (request,
    client, assignee) were a tenth of the board's Python work. `client_name` and `assignee_name`
    are their `display_name`."""

    __slots__ = (
        "pk",
        "title",
        "category",
        "status",
        "priority",
        "due_at",
        "acknowledge_by",
        "created_at",
        "closed_at",
        "cancelled_at",
        "client_name",
        "assignee_id",
        "assignee_name",
        "has_feedback",
        "card_html",
        "row_html",
    )


MOMENTS = ("due_at", "acknowledge_by", "created_at", "closed_at", "cancelled_at")


@cache
def _card_places(names: tuple[str, ...]) -> dict[str, int]:
    """Where each value of a card is in a row of `names`."""
    return {name: i for i, name in enumerate(names)}


def _as_datetimes(cards: list[Card]) -> list[Card]:
    """`cards` with their moments as aware datetimes, where the database gave text or naive UTC
    (SQLite; PostgreSQL's driver gives them aware)."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        return cards
    for card in cards:
        for name in MOMENTS:
            if (value := getattr(card, name)) is not None:
                setattr(card, name, as_datetime(value))
    return cards


def _cards(rows, names: tuple[str, ...]) -> list[Card]:
    """The cards of the rows of a compiled query (in the order of `names`; more may follow),
    their moments as the database gave them; what sorts a column and the feedback are the board's
    (`_board_cards`)."""
    at = _card_places(names)
    pk, title, category, status, priority = (
        at[name] for name in ("id", "title", "category", "status", "priority")
    )
    due, ack = at["due_at"], at["acknowledge_by"]
    preferred, first, last = (
        at[f"client__{name}"] for name in ("preferred_name", "first_name", "last_name")
    )
    assignee, assignee_first, assignee_last, username = (
        at[f"assignee__{name}"] for name in ("id", "first_name", "last_name", "username")
    )
    cards = []
    for row in rows:
        card = Card()
        card.pk, card.title, card.category = row[pk], row[title], row[category]
        card.status, card.priority = row[status], row[priority]
        card.due_at, card.acknowledge_by = row[due], row[ack]
        card.created_at = card.closed_at = card.cancelled_at = None
        # What `Client.display_name` and `User.display_name` say (tested against them).
        card.client_name = f"{row[preferred] or row[first]} {row[last]}".strip()
        card.assignee_id = row[assignee]
        card.assignee_name = (
            None
            if card.assignee_id is None
            else f"{row[assignee_first]} {row[assignee_last]}".strip() or row[username]
        )
        card.has_feedback = False
        card.card_html = ""
        cards.append(card)
    return cards


def _board_cards(rows: list) -> list[Card]:
    """The cards of the board's rows (`_card_columns()` order), with what sorts their column and
    whether their feedback is recorded."""
    names = _card_columns()
    at = _card_places(names)
    created, closed, cancelled = (at[name] for name in ("created_at", "closed_at", "cancelled_at"))
    feedback = at["feedback__id"]
    cards = _cards(rows, names)
    for card, row in zip(cards, rows, strict=True):
        card.created_at, card.closed_at = row[created], row[closed]
        card.cancelled_at, card.has_feedback = row[cancelled], row[feedback] is not None
    return cards


def board_columns(user, filters: RequestFilterForm, now=None) -> list[Column]:
    """One column per status; each holds its first cards and knows how many there are in all.

    One arm per column, on purpose: each walks a (status, due_at) index and stops at the cap,
    where a single ROW_NUMBER() query would sort every open request of the team first. On
    PostgreSQL the arms go in one UNION ALL with their totals; on SQLite, which cannot order and
    cut the arms of a union, the totals and then each column are one query each. Every query is
    built and compiled once per shape (`concierge.common.compiled`): the user's rule and the
    filters are its key, the moments its values (building and compiling nine queries was most of
    the board's time, 2 ms each at 100,000 clients).
    """
    rule = client_access(user, through="client__")
    if rule is SEES_NO_CLIENT:
        return [Column(status, Status(status).label) for status in BOARD_STATUSES]
    now = now or timezone.now()
    bounds = filters.due_bounds(now)
    values = {"since": now - FOLDED_HISTORY, **bounds}
    # Whatever the SQL holds besides the moments: the rule, whose requests, the other filters.
    shape = (
        "board",
        rule,
        user.pk,
        filters.mine_only,
        *(filters.value(name) for name in SHAPED_BY),
    )

    def on_board(marks):
        visible = ServiceRequest.objects.filter(rule)
        due = {name: marks[name] for name in bounds}
        return filters.filter(visible, statuses=False, bounds=due)

    def build_totals(**marks):
        # Each column's total counted up to a cap from the status indexes, in one query ("200+"),
        # in due order: the (assignee, status, due_at) or (status, due_at) index, walked.
        shown = on_board(marks)
        return User.objects.filter(pk=user.pk).values_list(
            *(
                CappedCount(
                    _in_column(shown, status, marks["since"]), COLUMN_COUNTED + 1, walk="due_at"
                )
                for status in BOARD_STATUSES
            )
        )

    if connections[DEFAULT_DB_ALIAS].features.supports_slicing_ordering_in_compound:
        return _board_in_one_query(shape, on_board, values)
    (totals,) = compiled.rows((*shape, "totals"), build_totals, values)
    columns = []
    for status, total in zip(BOARD_STATUSES, totals, strict=True):
        column = Column(status, Status(status).label, total)
        if column.total:

            def build_cards(status=status, **marks):
                column = _in_column(on_board(marks), status, marks.get("since"))
                cards, shown = _column_cards(column, status)
                return cards.values_list(*_card_columns())[:shown]

            # An open column does not read `since`: every value must be a parameter of the SQL.
            read = values if column.folded else bounds
            rows = compiled.rows((*shape, status), build_cards, read)
            column.cards = _as_datetimes(_board_cards(rows))
        columns.append(column)
    return columns


def _column_cards(column, status):
    """A column's first cards, in its order: due first for open work, latest ended for the rest."""
    if status in FOLDED_STATUSES:
        ended = "closed_at" if status == Status.CLOSED else "cancelled_at"
        return column.order_by(F(ended).desc(nulls_last=True), "-id"), CARDS_PER_FOLDED_COLUMN
    order = (F("due_at").asc(nulls_last=True), "-created_at", "-id")
    return column.order_by(*order), CARDS_PER_COLUMN


def _in_order(cards: list, status) -> list:
    """`cards` in their column's order (`_column_cards`), whatever order the database sent them in."""
    cards.sort(key=lambda card: card.pk, reverse=True)
    if status in FOLDED_STATUSES:
        ended = "closed_at" if status == Status.CLOSED else "cancelled_at"
        cards.sort(key=lambda card: _sortable(getattr(card, ended)), reverse=True)
    else:
        cards.sort(key=lambda card: card.created_at, reverse=True)
        cards.sort(key=lambda card: (card.due_at is None, _sortable(card.due_at)[1]))
    return cards


def _sortable(moment) -> tuple:
    # None last in a descending sort, and comparable with the moments.
    return (moment is not None, moment or datetime.min.replace(tzinfo=UTC))


def _board_in_one_query(shape, on_board, values) -> list[Column]:
    """Every column's first cards and its capped total, in one statement: one round trip to
    PostgreSQL instead of nine. Each column's arm keeps its own ORDER BY and LIMIT (and walks its
    own index); its total rides on its rows (a column without rows has none)."""
    names = _card_columns()

    def build(**marks):
        shown = on_board(marks)
        arms = []
        for status in BOARD_STATUSES:
            column = _in_column(shown, status, marks["since"])
            total = CappedCount(column, COLUMN_COUNTED + 1, walk="due_at")
            cards, n = _column_cards(column, status)
            arms.append(cards.annotate(column_total=total).values_list(*names, "column_total")[:n])
        return arms[0].union(*arms[1:], all=True)

    # On its one plan from the first run (planning this union for its values took 4.7 ms, five
    # times on every connection: see compiled.GENERIC).
    rows = compiled.rows((*shape, "one query"), build, values, generic=True)
    at_status = names.index("status")
    by_status = {}
    for row in rows:
        by_status.setdefault(row[at_status], []).append(row)
    columns = []
    for status in BOARD_STATUSES:
        found = by_status.get(status, [])
        column = Column(status, Status(status).label, found[0][-1] if found else 0)
        column.cards = _in_order(_board_cards(found), status)
        columns.append(column)
    return columns

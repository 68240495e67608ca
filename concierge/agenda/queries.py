"""What the agenda shows, in a fixed number of queries however many reminders, dates or requests."""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from clients.dates import month_days_between
from clients.models import NOBODY, Client, ImportantDate, client_access
from clients.models.client import name_of
from clients.models.profile import age_at, date_title, month_day_of, next_occurrence
from requests.models import ServiceRequest

from ..accounts.models import Team, User, away_now
from ..common import compiled
from ..common.choices import labels
from ..common.compiled import Ids
from ..common.paging import CappedCount
from ..ops.models import Outage
from ..reminders.models import (
    LIVE_STATES,
    DigestSent,
    Notification,
    Reminder,
    acting_lists,
    acting_q,
    actionable_access,
    reminder_access,
)
from ..reminders.outbox import MAIL_SERVER
from ..reminders.relevance import day_before, subject_test
from ..reminders.wording import COUNTED_AT_MOST
from .display import date_rows, reminder_rows, request_rows, row_words

SHORT = 5  # reminders a section shows before "show all"
ALL = COUNTED_AT_MOST  # what "show all" lists at most
CATCH_UP_SHOWN = 5
DATES_AHEAD_DAYS = 14
DATES_SHOWN = 40
DATES_COUNTED = 200  # past the shown ones: "more than 200 more dates" beyond
REQUESTS_AHEAD = datetime.timedelta(hours=48)
REQUESTS_SHOWN = 20
COMING_DAYS = 7
SECTIONS = ("overdue", "today", "calls", "coming", "catch_up")
# Badges count up to this many; past it they say "99+" (and "show all" lists ALL at most).
COUNT_CAP = COUNTED_AT_MOST


# What a row of the side column reads: its values, not model instances (40 dates with their
# clients and relations cost 3,000 Python calls as instances).
CLIENT_NAME = ("first_name", "preferred_name", "last_name")
DATE_ROW_COLUMNS = (
    "pk",
    "client_id",
    "kind",
    "label",
    "date",
    "yearly",
    "relation__name",
    *(f"client__{name}" for name in CLIENT_NAME),
)
REQUEST_ROW_COLUMNS = ("pk", "title", "status", "due_at", *(f"client__{n}" for n in CLIENT_NAME))


@dataclass
class Agenda:
    today: datetime.date
    overdue: list
    later_today: list
    overdue_count: int
    later_today_count: int
    calls: list
    calls_count: int
    coming: list
    coming_count: int
    show: str = ""  # the section shown whole ("show all"), if any
    cap: int = COUNT_CAP  # counts above this say "99+"
    dates_counted: int = DATES_COUNTED  # "and more than 200 other dates"
    dates: list = field(default_factory=list)
    dates_more: int = 0
    requests: list = field(default_factory=list)
    team: list = field(default_factory=list)
    email_trouble: dict | None = None  # for a manager: emails given up, a mail server down
    words: dict = field(default_factory=row_words)  # what every row says, translated once

    @property
    def nothing_due(self) -> bool:
        return not (self.overdue_count or self.later_today_count or self.calls_count)

    @property
    def coming_more(self) -> bool:
        return self.coming_count > len(self.coming)


def day_bounds(user, now: datetime.datetime):
    """The user's local date today, and the UTC-aware start of tomorrow in their time zone."""
    tz = user.tzinfo
    today = now.astimezone(tz).date()
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return today, end


def my_reminders(user, now: datetime.datetime | None = None):
    """The user's own prompts that still matter (and those of a colleague they stand in for now),
    catch-ups aside (each is listed apart, its items within it)."""
    return (
        Reminder.objects.actionable_by(user, now)
        .filter(catch_up__isnull=True)
        .live()
        .that_matter(now or timezone.now(), catch_ups=False)
    )


# How many candidates past a list's limit (or a badge's cap) are read from the index before the
# relevance test: the test then runs over a handful of rows, which the planner knows (its estimate
# of the test is far too low, and with it it would hash whole tables). Enough candidates failing the
# test (prompts the next sweep will close) and the list is read again without the fence. Every
# candidate is judged (a few microseconds of joins each): the slack is kept small.
SLACK = 5


def _count(user, rows) -> int:
    """`rows` counted up to the cap, without a fence (when candidates failing the test filled it)."""
    return User.objects.filter(pk=user.pk).values(n=CappedCount(rows, COUNT_CAP + 1)).get()["n"]


def _union(candidates: list, k: int, when=None):
    """The first `k` (list number, rank, id, `when`) of each queryset, in one query, each list in
    due order: the rank is read, not the moment (loading a timestamp costs a few Python calls, and
    a page reads hundreds of candidates)."""
    union = None
    for n, rows in enumerate(candidates):
        # Each read stops at `k` in a subquery of its own (SQLite refuses a LIMIT in a UNION's arm).
        first = rows.order_by("due_at", "id").values("pk")[:k]
        read = Reminder.objects.filter(pk__in=first).annotate(
            list_no=Value(n),
            rank=Window(RowNumber(), order_by=(F("due_at"), F("id"))),
            when=Value(0) if when is None else when,
        )
        read = read.order_by().values_list("list_no", "rank", "pk", "when")
        union = read if union is None else union.union(read, all=True)
    return union


def _first_candidates(names: list, key, build, values: dict) -> dict[object, list[tuple]]:
    """The first candidates (id, when) of each list `build(**values)` reads (see _union), in due
    order: one query, compiled once per `key` (building it cost thousands of Python calls)."""
    found = {name: [] for name in names}
    if not names:
        return found
    # Sorted here: a few hundred pairs of small integers (in SQL, a sort the plan cannot bound).
    for n, _rank, pk, when in sorted(compiled.rows(key, build, values)):
        found[names[n]].append((pk, when))
    return found


# Where a catch-up's due moment falls (see _lists): it leads the overdue list or today's.
LATE, TODAY, LATER = 0, 1, 2


def _lists(user, named, backups, now, end, week_end, fence):
    """The candidates of every list of the agenda: whose prompts the user acts for (before the
    client's rule and the relevance test), live, not within a catch-up, in each list's window."""
    cadence = Q(kind=Reminder.Kind.CADENCE)
    base = Reminder.objects.filter(
        acting_q(User(pk=user), named, backups), catch_up__isnull=True
    ).live()
    when = Case(
        When(due_at__lt=now, then=Value(LATE)),
        When(due_at__lt=end, then=Value(TODAY)),
        default=Value(LATER),
    )
    return _union(
        [
            base.exclude(cadence).filter(due_at__lt=now),  # overdue
            base.exclude(cadence).filter(due_at__gte=now, due_at__lt=end),  # today
            base.filter(cadence, due_at__lt=end),  # calls
            base.exclude(cadence).filter(due_at__gte=end, due_at__lt=week_end),  # coming
            # The catch-ups (one per person the user acts for) come first: each stands for all.
            base.filter(kind=Reminder.Kind.CATCH_UP),
        ],
        fence,
        when,
    )


LISTS = ("overdue", "today", "calls", "coming", "catch_up")


def list_candidates(user, now, end, fence) -> dict[str, list[tuple]]:
    """The first `fence` candidates (id, where it falls) of each of the agenda's lists, in due
    order, in one query compiled once per shape: whose prompts the user acts for (see
    Reminder.objects.acting_for) is the shape."""
    away = {} if user.is_manager or user.is_superuser else away_now(now)
    named, backups = acting_lists(user.pk, away)
    return _first_candidates(
        LISTS,
        ("agenda-lists", len(named), len(backups), fence),
        partial(_lists, fence=fence),
        {
            "user": user.pk,
            "named": named,
            "backups": backups,
            "now": now,
            "end": end,
            "week_end": end + datetime.timedelta(days=COMING_DAYS),
        },
    )


def judged(user, now, ids) -> tuple[set[int], set[int]]:
    """Of these live prompts, those whose subject still matters (the relevance test) and those the
    user may act on now (see Reminder.objects.actionable_by): one query, the joins of both tests
    made once, compiled once per rule (the rule's Q is the key: whatever it holds, its SQL follows)."""
    if not ids:
        return set(), set()
    rule = actionable_access(user, now)
    if rule is NOBODY:
        may_act = Value(False)
    else:
        may_act = ExpressionWrapper(rule & Q(catch_up__isnull=True), output_field=BooleanField())

    def build(ids, now, yesterday):
        # Live or not is read, not filtered: SQLite would walk the index of live prompts (thousands)
        # and test each against the ids, instead of reading the few hundred ids by key.
        rows = Reminder.objects.filter(compiled.IdsMatch("pk", ids)).order_by()
        return rows.values_list("pk", "state", subject_test(now, yesterday), may_act)

    # On its one plan from the first run (see compiled.GENERIC): the ids drive it, each
    # looked up by key with its subjects, whoever the user and whatever their rule.
    found = compiled.rows(
        ("agenda-judged", rule),
        build,
        {"ids": Ids(ids), "now": now, "yesterday": day_before(now)},
        generic=True,
    )
    live = [(pk, matters, may) for pk, state, matters, may in found if state in LIVE_STATES]
    # A NULL (a test over an absent join) is a no.
    return {pk for pk, matters, _ in live if matters}, {pk for pk, _, may in live if may}


def _items(catch_ups, fence):
    """The candidate items of each catch-up."""
    return _union([Reminder.objects.filter(catch_up=pk).live() for pk in catch_ups], fence)


def _rows_by_key(ids):
    return Reminder.objects.filter(compiled.IdsMatch("pk", ids)).for_rows()


def _read(ids_by_list: dict[str, list[int]], extra: dict[int, dict], user, today) -> dict:
    """The rows of every list in one query by key: the lists find their ids in due order without
    the joins of the words, whose row estimates would otherwise steer the planner off the index."""
    wanted = {pk for ids in ids_by_list.values() for pk in ids}
    found = {}
    if wanted:
        read = compiled.objects(("agenda-rows",), _rows_by_key, {"ids": Ids(wanted)})
        found = {reminder.pk: reminder for reminder in read}
    lists = {}
    for name, ids in ids_by_list.items():
        rows = [found[pk] for pk in ids if pk in found]
        for reminder in rows:
            for attribute, value in extra.get(reminder.pk, {}).items():
                setattr(reminder, attribute, value)
        reminder_rows(rows, user.tzinfo, today)
        lists[name] = rows
    return lists


def _catch_up_items(now):
    # Items are never catch-ups themselves: their test is the subject's alone.
    return Reminder.objects.live().that_matter(now, catch_ups=False)


def reminders_section(user, now: datetime.datetime, show: str = "") -> Agenda:
    """Overdue, later-today and next-days reminders of the user (their own, not their team's), each
    section short unless asked for whole (`show`).

    Every list is read in due order from a partial index of live prompts (see Reminder.Meta) and
    stops at its limit; every count stops at COUNT_CAP: a backlog of 15,000 costs what 100 do.
    """
    today, end = day_bounds(user, now)
    cadence = Q(kind=Reminder.Kind.CADENCE)
    week_end = end + datetime.timedelta(days=COMING_DAYS)
    # What each list holds, in full: built only when the candidates do not settle it (rare), as
    # building the relevance test costs milliseconds of Python each time.
    sections = {
        "overdue": lambda: my_reminders(user, now).exclude(cadence).filter(due_at__lt=now),
        "today": lambda: (
            my_reminders(user, now).exclude(cadence).filter(due_at__gte=now, due_at__lt=end)
        ),
        # Calls owed by cadence are listed apart: they are not deadlines like the others.
        "calls": lambda: my_reminders(user, now).filter(cadence, due_at__lt=end),
        "coming": lambda: (
            my_reminders(user, now).exclude(cadence).filter(due_at__gte=end, due_at__lt=week_end)
        ),
    }
    # A few queries for the lists and their badges, however long the backlog: the first `fence`
    # candidates of each list, in due order from the indexes alone (no joins, no test), and the
    # first of the items of each catch-up; then, of all of them at once, those whose reason is still
    # there (the one rule, built and planned once for every list: building it costs milliseconds),
    # and those the user may act on. A catch-up matters while one of its items does.
    fence = COUNT_CAP + 1 + SLACK
    in_order = list_candidates(user, now, end, fence)
    catch_up_when = dict(in_order.pop("catch_up"))
    in_order = {name: [pk for pk, _when in rows] for name, rows in in_order.items()}
    listed = _first_candidates(
        list(catch_up_when),
        ("agenda-items", len(catch_up_when), fence),
        partial(_items, fence=fence),
        {"catch_ups": list(catch_up_when)},
    )
    listed_ids = {pk: [item for item, _when in rows] for pk, rows in listed.items()}
    wanted = {pk for ids in in_order.values() for pk in ids}
    wanted_items = {item for ids in listed_ids.values() for item in ids}
    mattering, allowed = judged(user, now, wanted | wanted_items | set(catch_up_when))
    items_passed = {pk: [i for i in ids if i in mattering] for pk, ids in listed_ids.items()}
    for pk, ids in listed_ids.items():
        if not items_passed[pk] and len(ids) >= fence and pk in allowed:
            # Rare: the first items all failed the test (the next sweep closes them).
            items_passed[pk] = list(
                _catch_up_items(now)
                .filter(catch_up=pk)
                .order_by("due_at", "id")
                .values_list("pk", flat=True)[:fence]
            )
    ok = (mattering & allowed) | {pk for pk in catch_up_when if pk in allowed and items_passed[pk]}
    catch_ups = [pk for pk in catch_up_when if pk in ok]  # in due order
    # Catch-ups are not listed among the others (they come first, below).
    passed = {
        name: [pk for pk in ids if pk in ok and pk not in catch_up_when]
        for name, ids in in_order.items()
    }
    counts = {}
    for name, rows in sections.items():
        counts[name] = min(len(passed[name]), COUNT_CAP + 1)
        if counts[name] <= COUNT_CAP and len(in_order[name]) >= fence:
            # Rare: candidates failing the test (the next sweep closes them) filled the fence.
            counts[name] = _count(user, rows())

    def items_of(catch_up):
        return lambda: _catch_up_items(now).filter(catch_up=catch_up)

    items_count = {}
    for pk in catch_ups:
        items_count[pk] = min(len(items_passed[pk]), COUNT_CAP + 1)
        if items_count[pk] <= COUNT_CAP and len(listed_ids[pk]) >= fence:
            items_count[pk] = _count(user, items_of(pk)())  # rare
    late = [pk for pk in catch_ups if catch_up_when[pk] == LATE]
    today_first = [pk for pk in catch_ups if catch_up_when[pk] == TODAY]

    def limit(section, first=()):
        return max(0, (ALL if show == section else SHORT) - len(first))

    def first_of(found, n, candidates_read, rows):
        found = found[:n]
        if len(found) < n and candidates_read >= fence:
            # More candidates than the fence holds, and too few passed: read without it (rare).
            found = list(rows().order_by("due_at", "id").values_list("pk", flat=True)[:n])
        return found

    items_limit = ALL if show == "catch_up" else CATCH_UP_SHOWN
    items = {
        pk: first_of(items_passed[pk], items_limit, len(listed_ids[pk]), items_of(pk))
        for pk in catch_ups
    }

    def first(name, before=()):
        return first_of(passed[name], limit(name, before), len(in_order[name]), sections[name])

    lists = _read(
        {
            "overdue": late + first("overdue", late),
            "today": today_first + first("today", today_first),
            "calls": first("calls"),
            "coming": first("coming"),
            **{f"items-{pk}": ids for pk, ids in items.items()},
        },
        {pk: {"items_count": items_count[pk]} for pk in catch_ups},
        user,
        today,
    )
    for reminder in lists["overdue"] + lists["today"]:
        if reminder.pk in items:
            reminder.items_shown = lists[f"items-{reminder.pk}"]
    agenda = Agenda(
        today=today,
        overdue=lists["overdue"],
        later_today=lists["today"],
        overdue_count=counts["overdue"] + len(late),
        later_today_count=counts["today"] + len(today_first),
        calls=lists["calls"],
        calls_count=counts["calls"],
        coming=lists["coming"],
        coming_count=counts["coming"],
        show=show if show in SECTIONS else "",
    )
    if user.is_manager:
        agenda.team = team_summary(user, now, end)
        agenda.email_trouble = email_trouble(user, now)
    return agenda


EMAIL_TROUBLE_DAYS = 7


def _failed_emails(model, since):
    rows = (
        model.objects.filter(user__team_id=OuterRef("pk"), email_failed_at__gte=since)
        .order_by()
        .values("user__team_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _email_trouble(team, since):
    outage = Outage.objects.filter(name=MAIL_SERVER, failures__gt=0)
    return (
        Team.objects.filter(pk=team)
        .annotate(
            notifications=_failed_emails(Notification, since),
            digests=_failed_emails(DigestSent, since),
            outage_since=Subquery(outage.values("since")[:1]),
        )
        .order_by()
        .values_list("notifications", "digests", "outage_since")
    )


def email_trouble(manager, now: datetime.datetime) -> dict | None:
    """What a manager should know of the team's emails, in one query compiled once (building it
    cost a millisecond or more on each of a manager's agendas): those given up lately (the
    reminders are in the app, their emails never went), and a mail server down now."""
    if not manager.team_id:
        return None
    since = now - datetime.timedelta(days=EMAIL_TROUBLE_DAYS)
    found = compiled.rows(
        ("agenda-email-trouble",), _email_trouble, {"team": manager.team_id, "since": since}
    )
    if not found:
        return None
    [(notifications, digests, outage_since)] = found
    count = notifications + digests
    if not count and outage_since is None:
        return None
    outage_info = {"since": compiled.as_datetime(outage_since)} if outage_since else None
    return {"failed": count, "days": EMAIL_TROUBLE_DAYS, "outage": outage_info}


# The team section: per teammate, their prompts overdue and due later today, each list's first
# candidates read from the agenda's partial indexes of live prompts as the agenda's own lists are.
TEAM_LISTS = ("overdue", "today")
TEAM_INDEXES = ("deadlines", "calls")


def _team_windows(now, end) -> dict[str, Q]:
    return {"overdue": Q(due_at__lt=now), "today": Q(due_at__gte=now, due_at__lt=end)}


def _teammates(rule, manager, team, now):
    """The manager's active teammates, each with their late requests counted up to the cap (from
    the index of open requests by assignee and due moment, the client's rule checked by key), and
    their catch-up, if any (one at most: see Reminder.Meta)."""
    late = ServiceRequest.objects.filter(rule, assignee=OuterRef("pk"), due_at__lt=now).open()
    catch_up = (
        Reminder.objects.filter(
            owner=OuterRef("pk"), kind=Reminder.Kind.CATCH_UP, catch_up__isnull=True
        )
        .live()
        .order_by()
    )
    return (
        User.objects.filter(team_id=team, is_active=True)
        .exclude(pk=manager)
        .annotate(
            late=CappedCount(late, COUNT_CAP + 1, walk="due_at"),
            catch_up_pk=Subquery(catch_up.values("pk")[:1]),
            catch_up_due=Subquery(catch_up.values("due_at")[:1]),
        )
        .order_by()
    )


def _team_arms(members: list[int]) -> list[tuple]:
    """What each arm of _team_lists reads, in its order."""
    return [
        (member, name, index) for member in members for name in TEAM_LISTS for index in TEAM_INDEXES
    ]


def _team_lists(members, now, end, fence):
    """The first `fence` ids of each teammate's prompts overdue and due later today (live, neither
    a catch-up nor within one), before the client's rule and the relevance test, deadlines and
    calls apart, each from its partial index in due order, as (arm, id) rows of one flat union
    (SQLite's parser overflows on a nested one of a large team's arms: see _team_arms)."""
    cadence = Q(kind=Reminder.Kind.CADENCE)
    windows = _team_windows(now, end)
    reads = []
    for member in members:
        theirs = Reminder.objects.filter(owner=member, catch_up__isnull=True).live()
        deadlines = theirs.exclude(cadence).exclude(kind=Reminder.Kind.CATCH_UP)
        for name in TEAM_LISTS:
            for rows in (deadlines.filter(windows[name]), theirs.filter(cadence, windows[name])):
                # Each read stops at `fence` in a subquery of its own (see _union).
                first = rows.order_by("due_at", "id").values("pk")[:fence]
                read = Reminder.objects.filter(pk__in=first).annotate(arm=Value(len(reads)))
                reads.append(read.order_by().values_list("arm", "pk"))
    return reads[0].union(*reads[1:], all=True)


def _team_judging(ids, now, yesterday, visible):
    test = subject_test(now, yesterday)
    # A catch-up matters while one of its items does: the first such item, in due order along the
    # index of its items, for each catch-up (a value, not EXISTS, which the planner would hash
    # over every item; unordered, it walked another index of the whole table).
    items = Reminder.objects.filter(catch_up=OuterRef("pk")).live().filter(test)
    items = items.order_by("due_at", "id")
    listing = Coalesce(Subquery(items.values(one=Value(True))[:1]), Value(False))
    matters = Case(When(kind=Reminder.Kind.CATCH_UP, then=listing), default=test)
    rows = Reminder.objects.filter(compiled.IdsMatch("pk", ids)).order_by()
    return rows.values_list("pk", "state", matters, visible)


def _team_judged(manager, now, ids) -> tuple[set[int], set[int]]:
    """Of these live prompts, those whose reason is still there (the relevance test; a catch-up's
    is its items') and those the manager may see (the rule of Reminder.objects.visible_to): one
    query, compiled once per rule, on its one plan (the ids drive it, each row read by key)."""
    if not ids:
        return set(), set()
    rule = reminder_access(manager, now)
    visible = ExpressionWrapper(rule, output_field=BooleanField())
    found = compiled.rows(
        ("agenda-team-judged", rule),
        partial(_team_judging, visible=visible),
        {"ids": Ids(ids), "now": now, "yesterday": day_before(now)},
        generic=True,
    )
    live = [(pk, matters, seen) for pk, state, matters, seen in found if state in LIVE_STATES]
    # A NULL (a test over an absent join) is a no.
    return {pk for pk, matters, _ in live if matters}, {pk for pk, _, seen in live if seen}


def _team_count(manager, member: int, now, window: Q) -> int:
    """A teammate's prompts in `window` that matter and the manager sees, their catch-up apart,
    counted up to the cap without a fence (when candidates failing the test filled it: rare)."""
    rows = (
        Reminder.objects.visible_to(manager, now)
        .filter(window, owner=member, catch_up__isnull=True)
        .exclude(kind=Reminder.Kind.CATCH_UP)
        .live()
        .that_matter(now, catch_ups=False)
    )
    return _count(User(pk=member), rows)


def team_summary(manager, now: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Per teammate: reminders overdue, reminders due later today, requests overdue ("late"), each
    counted up to COUNT_CAP (above it: "99+"); the rows most overdue first, then most late.

    Three queries however many prompts the team has: the teammates, with their late requests and
    their catch-up; the first candidates of each teammate's lists, from the partial indexes of
    live prompts as the agenda's own lists read theirs (see reminders_section); then, of all of
    them at once, those whose reason is still there and that the manager may see (their team's).
    A catch-up counts as one while one of its items matters.
    """
    rule = client_access(manager, through="client__")
    if not manager.team_id or rule is NOBODY:
        return []
    teammates = compiled.objects(
        ("agenda-team", rule),
        partial(_teammates, rule),
        {"manager": manager.pk, "team": manager.team_id, "now": now},
    )
    if not teammates:
        return []
    members = [member.pk for member in teammates]
    fence = COUNT_CAP + 1 + SLACK
    arms = _team_arms(members)
    read = {arm: [] for arm in arms}
    # On its one plan made without the values (as the judging): index ranges of each teammate's.
    for n, pk in compiled.rows(
        ("agenda-team-lists", len(members), fence),
        partial(_team_lists, fence=fence),
        {"members": members, "now": now, "end": end},
        generic=True,
    ):
        read[arms[n]].append(pk)
    catch_ups = {member.catch_up_pk for member in teammates} - {None}
    ids = {pk for ids in read.values() for pk in ids} | catch_ups
    matters, seen = _team_judged(manager, now, ids)
    counted = matters & seen
    windows = _team_windows(now, end)
    rows = []
    for member in teammates:
        counts = {}
        for name in TEAM_LISTS:
            candidates = [read[(member.pk, name, index)] for index in TEAM_INDEXES]
            passed = sum(pk in counted for ids in candidates for pk in ids)
            if passed <= COUNT_CAP and any(len(ids) >= fence for ids in candidates):
                # Rare: candidates failing the test (the next sweep closes them) filled the fence.
                passed = _team_count(manager, member.pk, now, windows[name])
            counts[name] = passed
        if member.catch_up_pk in counted:  # one, in its list, while one of its items matters
            due = member.catch_up_due
            name = "overdue" if due < now else "today" if due < end else None
            if name:
                counts[name] += 1
        counts = {name: min(n, COUNT_CAP + 1) for name, n in counts.items()}
        if counts["overdue"] or counts["today"] or member.late:
            rows.append({"member": member, **counts, "late": member.late})
    return sorted(rows, key=lambda r: (-r["overdue"], -r["late"], r["member"].display_name))


def _dates_window(rule, user, today, month_days):
    return ImportantDate.objects.filter(
        rule,
        Q(yearly=True) | Q(date__gte=today),
        Q(client__primary_concierge=user) | Q(client__backup_concierge=user),
        month_day__in=month_days,
    )


def _dates_from(first, final, limit, **window):
    return (
        _dates_window(**window)
        .filter(month_day__gte=first, month_day__lte=final)
        .order_by("month_day", "pk")
        .values_list(*DATE_ROW_COLUMNS)[:limit]
    )


@dataclass(slots=True)
class ComingDate:
    """A row of the side column: a client's date, when it next comes and what it marks."""

    pk: int
    client_id: int
    kind: str
    title: str
    client_name: str
    last_name: str
    next_on: datetime.date
    days: int
    age: int | None
    html: str = ""


def _coming(row, today: datetime.date, kinds: dict) -> ComingDate:
    pk, client_id, kind, label, date, yearly, relation, first, preferred, last = row
    date = compiled.as_date(date)
    next_on = next_occurrence(date, bool(yearly), today)
    return ComingDate(
        pk=pk,
        client_id=client_id,
        kind=kind,
        title=date_title(label, kinds.get(kind, kind), relation),
        client_name=name_of(first, preferred, last),
        last_name=last,
        next_on=next_on,
        days=(next_on - today).days,
        age=age_at(date, bool(yearly), next_on),
    )


def _dates_counted(user, **window):
    # "And N more": counted up to a cap, unordered (the window holds thousands at 100,000 clients).
    counted = CappedCount(_dates_window(user=user, **window), DATES_SHOWN + DATES_COUNTED)
    return User.objects.filter(pk=user).values_list(counted)


def coming_dates(user, today: datetime.date, days: int = DATES_AHEAD_DAYS):
    """Important dates of the user's clients (primary or backup) in the next `days` days, soonest
    first: the window, the order and the limit are all in SQL, each query compiled once per rule
    (see concierge.common.compiled)."""
    # Visible (the rule) and theirs, through the join: the planner checks each date's client by its
    # key instead of listing every client the user may see.
    rule = client_access(user, through="client__")
    if rule is NOBODY:
        return [], 0
    last = today + datetime.timedelta(days=days)
    window = {"user": user.pk, "today": today, "month_days": month_days_between(today, last)}
    # The index on (month_day, id) gives the order: each range is read from its first day on, and
    # the LIMIT stops after a day or two instead of sorting thousands of dates. Past the end of the
    # year, January comes after December: December's range first, then January's for the rest
    # (one range with a CASE to sort on would read and sort the whole window).
    month_days = window["month_days"]
    if last.year == today.year:
        ranges = [(min(month_days), max(month_days))]
    else:
        ranges = [(month_day_of(today), 1231), (101, month_day_of(last))]
    # A concierge's dates run on their one plan made without the values (PostgreSQL otherwise
    # planned them anew on every page, 0.4 ms each, for the same plan); a manager's plan made
    # without the values reads the whole team's dates (60 ms instead of 0.02), so theirs is chosen
    # for the values each time (see compiled.GENERIC).
    generic = not (user.is_manager or user.is_superuser)
    found = []
    for first, final in ranges:
        if len(found) < DATES_SHOWN:
            limit = DATES_SHOWN - len(found)
            found += compiled.rows(
                ("agenda-dates", rule, len(month_days), limit),
                partial(_dates_from, rule=rule, limit=limit),
                {"first": first, "final": final, **window},
                generic=generic,
            )
    kinds = labels(ImportantDate.Kind)
    shown = [_coming(row, today, kinds) for row in found]
    # Within a day, by name (a crowded day's first dates by key: ordering the whole day by name
    # would read all of it, 600 dates at 100,000 clients).
    shown.sort(key=lambda item: (item.days, item.last_name, item.pk))
    date_rows(shown, today)
    [(counted,)] = compiled.rows(
        ("agenda-dates-counted", rule, len(month_days)),
        partial(_dates_counted, rule=rule),
        window,
        generic=generic,
    )
    return shown, counted - len(shown)


def _requests_due(rule, user, until):
    return (
        ServiceRequest.objects.filter(rule, assignee=user, due_at__lte=until)
        .open()
        .order_by("due_at", "id")
        .values_list(*REQUEST_ROW_COLUMNS)[:REQUESTS_SHOWN]
    )


@dataclass(slots=True)
class DueRequest:
    """A row of the side column: an open request of the user's, late or due soon."""

    pk: int
    title: str
    status: str
    due_at: datetime.datetime
    client_name: str
    is_overdue: bool
    html: str = ""


def requests_due(user, now: datetime.datetime):
    """The user's open requests overdue or due within 48 hours, most urgent first, read as values
    (the query compiled once per rule, see concierge.common.compiled)."""
    rule = client_access(user, through="client__")
    if rule is NOBODY:
        return []
    # On its one plan made without the values, for every role (an index range of the assignee's).
    found = compiled.rows(
        ("agenda-requests", rule),
        partial(_requests_due, rule),
        {"user": user.pk, "until": now + REQUESTS_AHEAD},
        generic=True,
    )
    rows = []
    for pk, title, status, due_at, first, preferred, last in found:
        due_at = compiled.as_datetime(due_at)
        name = name_of(first, preferred, last)
        rows.append(DueRequest(pk, title, status, due_at, name, is_overdue=due_at < now))
    request_rows(rows)
    return rows


def _first_due_requests(user, end, fence):
    return (
        ServiceRequest.objects.visible_to(user)
        .open()
        .filter(assignee=user, due_at__lt=end)
        .order_by("due_at", "id")
        .values("pk")[:fence]
    )


def clients_of_today(user, now: datetime.datetime | None = None, limit: int = 8) -> list[Client]:
    """The clients the user's day is about: their reminders due by tonight (overdue included) and
    their requests due by tonight, in the order of the portfolio.

    Read as the agenda reads its lists: the first candidates of the overdue, later-today and calls
    lists in due order from the partial indexes of live prompts, judged at once (the relevance test
    and the user's rule), and the first requests due by the assignee's index: a backlog of
    thousands costs what a hundred do, and past that many, the day is about the most urgent."""
    now = now or timezone.now()
    _today, end = day_bounds(user, now)
    fence = COUNT_CAP + 1 + SLACK
    in_order = list_candidates(user, now, end, fence)
    candidates = {pk for name in ("overdue", "today", "calls") for pk, _when in in_order[name]}
    mattering, allowed = judged(user, now, candidates)
    passed = compiled.Ids(mattering & allowed).param(connection)
    reminded = Reminder.objects.filter(compiled.IdsMatch("pk", passed))
    # The first requests in a subquery of their own (SQLite refuses a LIMIT in a UNION's arm).
    requested = ServiceRequest.objects.filter(pk__in=_first_due_requests(user, end, fence))
    # Their clients first, then those clients by name: the portfolio's order walked with the test
    # of each client read every client of a manager's team when none was due (86 ms).
    arms = [rows.order_by().values_list("client_id") for rows in (reminded, requested)]
    about = {pk for (pk,) in arms[0].union(arms[1]) if pk}
    if not about:
        return []
    return list(
        Client.objects.visible_to(user)
        .filter(compiled.IdsMatch("pk", compiled.Ids(about).param(connection)))
        .order_by("sort_name", "pk")[:limit]
    )


def agenda_for(user, now: datetime.datetime | None = None, show: str = "") -> Agenda:
    now = now or timezone.now()
    agenda = reminders_section(user, now, show)
    agenda.dates, agenda.dates_more = coming_dates(user, agenda.today)
    agenda.requests = requests_due(user, now)
    return agenda

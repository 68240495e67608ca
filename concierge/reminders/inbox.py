"""What the notifications page and the bells read, in a fixed number of queries however many
notifications a user has had: a page of them newest first, and how many still need the user.

Each read walks an index of the user's own notifications and stops: the page reads its rows in
order from `notification_newest`, the count its unread ones from (user, read_at), and each row's
reminder is tested by key as a value of the row (the reader's rule; for the count, whether it still
matters too), so that the walk stops at the LIMIT. As a join, the planner (which takes the tests
for rare) would test every reminder of the user's, or every live one, to hash them.
"""

import datetime

from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.lookups import IsNull
from django.utils import timezone

from clients.models import NOBODY

from ..accounts.models import User
from ..common import compiled
from ..common.compiled import Ids
from ..common.paging import CappedCount
from .models import LIVE_STATES, READ_WITH, Notification, Reminder, reminder_access, row_fields
from .relevance import day_before, test
from .wording import COUNTED_AT_MOST

# The bell counts up to this many (it shows "99+" past 99).
UNREAD_CAP = COUNTED_AT_MOST + 1
# What a row of the page reads of its notification (its words are its reminder's).
NOTIFICATION_FIELDS = (
    "id",
    "reminder",
    "created_at",
    "read_at",
    "next_attempt_at",
    "email_attempts",
    "email_failed_at",
)


def unread_count(user, now: datetime.datetime | None = None, cap: int = UNREAD_CAP) -> int:
    """How many unread notifications still need the user, counted up to `cap` (the bell shows
    99+): those whose reminder is live, still matters and is still the reader's to see.

    The user's unread ones are walked from their index and each one's reminder is tested by key,
    until `cap` pass: a test per row, not a join (the planner, which takes the test for rare, would
    judge every live reminder to hash them), and none of the rows past the cap. Those that fail
    (a reminder the next sweep closes, a client handed over) cost a test each."""
    now = now or timezone.now()
    rule = reminder_access(user, now)
    if rule is NOBODY:
        return 0

    def build(user, now, yesterday):
        reminder = Reminder.objects.filter(rule, pk=OuterRef("reminder_id"), state__in=LIVE_STATES)
        reminder = reminder.filter(test(now, yesterday)).order_by().values("pk")[:1]
        unread = Notification.objects.filter(
            IsNull(Subquery(reminder), False), user_id=user, read_at__isnull=True
        )
        return User.objects.filter(pk=user).values_list(CappedCount(unread, cap))

    # On its one plan (checked in tests/web/test_key_queries_use_indexes.py): the walk of the
    # user's unread ones, whoever the user.
    values = {"user": user.pk, "now": now, "yesterday": day_before(now)}
    ((counted,),) = compiled.rows(("unread-count", rule, cap), build, values, generic=True)
    return counted


def _rows_by_key(ids):
    # A catch-up's title says how many items it lists (see wording.catch_up_count), "more than"
    # past the cap: counted here up to it, from the index of its items.
    items = Reminder.objects.filter(catch_up=OuterRef("reminder_id"), state__in=LIVE_STATES)
    counted = CappedCount(items, COUNTED_AT_MOST + 1)
    return (
        Notification.objects.filter(compiled.IdsMatch("pk", ids))
        .select_related(*(f"reminder__{name}" for name in READ_WITH))
        .only(*NOTIFICATION_FIELDS, *row_fields("reminder__"))
        .annotate(
            items_count=Case(
                When(reminder__kind=Reminder.Kind.CATCH_UP, then=counted), default=None
            )
        )
        .order_by()
    )


def _rows(ids: list[int]) -> list[Notification]:
    """The notifications of these ids in this order, with the words of their reminders: one query
    by key, without the walk and its rule (whose joins the planner would weigh with these)."""
    if not ids:
        return []
    found = {
        n.pk: n for n in compiled.objects(("notification-rows",), _rows_by_key, {"ids": Ids(ids)})
    }
    rows = [found[pk] for pk in ids if pk in found]
    for notification in rows:
        if notification.items_count is not None:
            notification.reminder.items_count = notification.items_count
    return rows


class NotificationPage:
    """A user's notifications newest first, as CappedPaginator reads them: a window of rows, or a
    count up to a number (`order_by()[:n].count()`).

    Both come from one read of the ids from the newest on, `reach` past the first window asked
    (the pager's count reaches as far: see CappedPaginator's `cap`), its SQL compiled once per
    rule and length. The rows are then read by key with their reminders' words (only the columns
    they read) and, for a catch-up, how many items it lists, counted up to the cap its title says
    "more than" past."""

    def __init__(self, user, at: datetime.datetime, reach: int):
        self.user_pk = user.pk
        self.rule = reminder_access(user, at)
        self.reach = reach
        self._read: tuple[list[int], int] | None = None  # the ids read, and how many were asked

    def _visible(self, user):
        """The user's notifications about a reminder they may still see (as `visible_to`), the
        reminder checked by key for each row the walk reaches."""
        reminder = Reminder.objects.filter(self.rule, pk=OuterRef("reminder_id")).order_by()
        # A value per row, not an EXISTS: the planner, which takes the rule for rare, would hash
        # every reminder of the user's and every client to join them.
        visible = IsNull(Subquery(reminder.values("pk")[:1]), False)
        return Notification.objects.filter(visible, user_id=user)

    def _ids(self, stop: int) -> list[int]:
        """The ids newest first, at least the first `stop` of them (all of them if fewer)."""
        if self._read is not None:
            ids, asked = self._read
            if stop <= asked or len(ids) < asked:
                return ids
        asked = stop + self.reach

        def build(user):
            newest = self._visible(user).order_by("-created_at", "-id")
            return newest.values_list("pk")[:asked]

        # On its one plan (checked in tests/web/test_key_queries_use_indexes.py): planned for its
        # values, the walk and its rule cost milliseconds of planning for a tenth of that's work.
        key = ("notification-ids", self.rule, asked)
        ids = [pk for (pk,) in compiled.rows(key, build, {"user": self.user_pk}, generic=True)]
        self._read = (ids, asked)
        return ids

    def __getitem__(self, window: slice) -> list[Notification]:
        start, stop = window.start or 0, window.stop
        if self.rule is NOBODY or start >= stop:
            return []
        return _rows(self._ids(stop)[start:stop])

    def count_up_to(self, stop: int | None) -> int:
        if self.rule is NOBODY or not stop:
            return 0
        return min(len(self._ids(stop)), stop)

    def order_by(self, *fields):
        # CappedPaginator counts `order_by()[:n].count()`.
        return _CountedUpTo(self)


class _CountedUpTo:
    def __init__(self, page: NotificationPage, stop: int | None = None):
        self.page, self.stop = page, stop

    def __getitem__(self, window: slice):
        return _CountedUpTo(self.page, window.stop)

    def count(self) -> int:
        return self.page.count_up_to(self.stop)

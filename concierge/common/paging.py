"""A paginator that never counts a whole table: past a cap, "more" instead of an exact total."""

import math
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import IntegerField, Subquery

# Beyond this many rows past the page asked for, the list says "more" instead of counting them.
COUNT_CAP = 2000
# No list has a million pages: a larger number asked for counts from here (no SQL overflow).
MAX_PAGE = 1_000_000


class CappedPaginator(Paginator):
    """Counts at most `cap` rows beyond the requested page's start, with an unordered LIMIT.

    `count` is exact while `capped` is false; when it is true, there are more rows than `count`
    and the last page number is a lower bound, yet the next page's link always works: each page
    counts from its own offset. Works with the shared `_pager.html`.

    `read_first`: the requested page is read first, with one row more; when that page is not full,
    its rows tell the count and nothing is counted (a search that finds a few clients reads the
    table once, not twice). Otherwise the count runs as without it, and the page is not read again.
    """

    def __init__(
        self, object_list, per_page, *, cap: int | None = None, read_first: bool = False, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.requested = 1
        self.read_first = read_first

    def validate_number(self, number):
        # The first page number asked for sets where counting starts (get_page and page both ask).
        if "_counted" not in self.__dict__:
            try:
                self.requested = min(max(1, int(number)), MAX_PAGE)
            except (TypeError, ValueError):
                self.requested = 1
        return super().validate_number(number)

    @cached_property
    def _read(self) -> list:
        """The requested page's rows and the first of the next (read_first)."""
        start = (self.requested - 1) * self.per_page
        return list(self.object_list[start : start + self.per_page + 1])

    def page(self, number):
        number = self.validate_number(number)
        if self.read_first and number == self.requested:
            return self._get_page(self._read[: self.per_page], number, self)
        return super().page(number)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if self.read_first:
            rows = self._read
            # Not full, and not past the end (a page past the end moves to the last one, counted).
            if len(rows) <= self.per_page and (rows or self.requested == 1):
                return (self.requested - 1) * self.per_page + len(rows), False
        limit = (self.requested - 1) * self.per_page + max(self.cap, self.per_page)
        # Unordered: the database stops at the limit instead of sorting every row first.
        counted = self.object_list.order_by()[: limit + 1].count()
        return min(counted, limit), counted > limit

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @cached_property
    def capped(self) -> bool:
        return self._counted[1]

    @cached_property
    def num_pages(self) -> int:
        if not self.capped:
            return super().num_pages
        # At least count + 1 rows exist: the pages that surely hold one (a lower bound), so the
        # next page's link is offered, and that page counts afresh from its own start.
        return math.ceil((self.count + 1) / self.per_page)


class CappedCount(Subquery):
    """`(SELECT COUNT(*) FROM (<queryset>[:cap]))`: counts at most `cap` rows, unordered, so that a
    badge over thousands of rows costs what reading `cap` of them from an index costs. Use it in
    `.annotate()` / `.values()`; a result above `cap - 1` means "that many or more".

    `walk`: an order an index gives (its last column after the equalities), so that the planner
    walks that index and stops at the cap, instead of gambling on a merge join through another
    index when it overestimates the matches (the board's closed column: 22 ms to 1.5 ms)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()

    def __init__(self, queryset, cap: int, *, walk: str | None = None, **extra):
        ordered = queryset.order_by(walk) if walk else queryset.order_by()
        super().__init__(ordered.values("pk")[:cap], **extra)

"""Calendar arithmetic of a client's dates: anniversaries in a window, a day's moment in a zone."""

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from .models.profile import month_day_of

REMIND_AT = datetime.time(9, 0)  # date-based prompts come at 09:00, the concierge's time


def local_moment(day: datetime.date, tz, at: datetime.time = REMIND_AT) -> datetime.datetime:
    """`day` at `at` in `tz`, as an aware datetime (09:00 exists on both sides of a DST change)."""
    return datetime.datetime.combine(day, at, tzinfo=tz)


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def month_days_between(start: datetime.date, end: datetime.date) -> list[int]:
    """The month_day values whose anniversary falls between start and end (29 February counts as
    the 28th in common years)."""
    values = []
    for day in _days(start, end):
        values.append(month_day_of(day))
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            values.append(229)
    return values


def anniversaries_between(start: datetime.date, end: datetime.date) -> Q:
    """Dates whose anniversary falls between start and end, served by the month_day index."""
    return Q(month_day__in=month_days_between(start, end))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def age_words(birthday: bool, years: int | None) -> str:
    """What a date's next occurrence marks, in the reader's language: "turns 57" for a birthday,
    "6 years" for another yearly date; nothing when it marks no age."""
    if not years:
        return ""
    if birthday:
        return gettext("turns %(age)s") % {"age": years}
    return ngettext("%(years)s year", "%(years)s years", years) % {"years": years}

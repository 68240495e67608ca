"""Dates as a reader expects them: the year is shown whenever it is not the current one, so that
"Wed 1 May" never reads as next May when it was 2019.

    {% load when %}  {{ event.at|moment }}  {{ person.birthday|day }}  {{ sr.due_at|moment:"short" }}
"""

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import get_language

register = template.Library()

# (this year, another year): the weekday helps within the year, the year is what matters beyond it.
DAY_FORMATS = {
    "long": ("D j M", "j M Y"),
    "short": ("j M", "j M Y"),
}
MOMENT_FORMATS = {
    "long": ("D j M, H:i", "j M Y, H:i"),
    "short": ("j M, H:i", "j M Y, H:i"),
}


# The `date` filter's codes these formats use, as it writes them ("M" is MONTHS_3, capitalised).
CODES = {
    "D": lambda value, names: names[0][value.weekday()],
    "j": lambda value, names: str(value.day),
    "M": lambda value, names: names[1][value.month],
    "Y": lambda value, names: f"{value.year:04d}",
    "H": lambda value, names: f"{value.hour:02d}",
    "i": lambda value, names: f"{value.minute:02d}",
}


@lru_cache(maxsize=16)
def _names(language: str) -> tuple[list[str], list[str]]:
    return (
        [str(WEEKDAYS_ABBR[day]) for day in range(7)],
        ["", *(str(MONTHS_3[month]).title() for month in range(1, 13))],
    )


@lru_cache(maxsize=32)
def _pieces(fmt: str) -> tuple | None:
    """`fmt` as literal text and CODES, or None if it needs the `date` filter itself."""
    pieces = tuple(CODES.get(char, char) for char in fmt)
    if any(isinstance(piece, str) and (piece.isalpha() or piece == "\\") for piece in pieces):
        return None
    return pieces


def _format(value, fmt: str, names=None) -> str:
    """The `date` filter's answer for these formats, without its per-call machinery (a list of 25
    dates spent more time formatting them than reading them); `names`: the language's, if known."""
    pieces = _pieces(fmt)
    if pieces is None:
        return date_filter(value, fmt)
    names = names or _names(get_language())
    return "".join([piece if type(piece) is str else piece(value, names) for piece in pieces])


# The same codes as str.format fields, for `Dates.moments()`: one call formats a whole date.
FIELDS = {
    "D": "{weekday}",
    "j": "{at.day}",
    "M": "{month}",
    "Y": "{at.year:04d}",
    "H": "{at.hour:02d}",
    "i": "{at.minute:02d}",
}


@lru_cache(maxsize=32)
def _template(fmt: str) -> str | None:
    if _pieces(fmt) is None:
        return None
    return "".join(FIELDS.get(char) or char.replace("{", "{{").replace("}", "}}") for char in fmt)


def _this_year(value) -> bool:
    today = timezone.localdate()
    return value.year == today.year


@register.filter(expects_localtime=True, is_safe=False)
def day(value, style="long"):
    """A date (or the day of a datetime), with its year unless it is this year's."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if timezone.is_naive(value) else timezone.localtime(value).date()
    same, other = DAY_FORMATS.get(style, DAY_FORMATS["long"])
    return _format(value, same if _this_year(value) else other)


@register.filter(expects_localtime=True, is_safe=False)
def moment(value, style="long"):
    """A datetime with its time, with its year unless it is this year's."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value, style)
    local = value if timezone.is_naive(value) else timezone.localtime(value)
    same, other = MOMENT_FORMATS.get(style, MOMENT_FORMATS["long"])
    return _format(local, same if _this_year(local) else other)


@register.filter(expects_localtime=True, is_safe=False)
def other_year(value):
    """The year alone, when it is not this one (beside a day-and-month chip); else nothing."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and not timezone.is_naive(value):
        value = timezone.localtime(value)
    return "" if _this_year(value) else str(value.year)


class Dates:
    """`day` and `moment` for the rows of one page: the time zone, this year and the language's
    names looked up once, not on every date (a profile shows some sixty)."""

    def __init__(self):
        self.tz = timezone.get_current_timezone()
        self.year = timezone.localdate().year
        self.names = _names(get_language())

    def _format(self, value, fmt: str) -> str:
        return _format(value, fmt, self.names)

    def day(self, value, style: str = "long") -> str:
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            value = value.date() if value.utcoffset() is None else value.astimezone(self.tz).date()
        same, other = DAY_FORMATS.get(style, DAY_FORMATS["long"])
        return self._format(value, same if value.year == self.year else other)

    def moment(self, value, style: str = "long") -> str:
        if not value:
            return ""
        if not isinstance(value, datetime.datetime):
            return self.day(value, style)
        local = value if value.utcoffset() is None else value.astimezone(self.tz)
        same, other = MOMENT_FORMATS.get(style, MOMENT_FORMATS["long"])
        return self._format(local, same if local.year == self.year else other)

    def moment_as(self, value, fmt: str) -> str:
        """`{{ value|date:fmt }}` for an aware datetime, in the page's zone."""
        return self._format(value.astimezone(self.tz), fmt)

    def moments(self, style: str = "long"):
        """`moment` as one function for the many datetimes of a page, each date one `str.format`
        (a board of 58 due dates spent 70 calls on each)."""
        tz, this_year = self.tz, self.year
        weekdays, months = self.names
        same, other = (_template(fmt) for fmt in MOMENT_FORMATS.get(style, MOMENT_FORMATS["long"]))

        def format_moment(value) -> str:
            if same is None or other is None or value.__class__ is not datetime.datetime:
                return moment(value, style)
            if value.tzinfo is None or value.utcoffset() is None:
                return moment(value, style)
            at = value.astimezone(tz)
            return (same if at.year == this_year else other).format(
                at=at, weekday=weekdays[at.weekday()], month=months[at.month]
            )

        return format_moment

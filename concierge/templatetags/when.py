"""Dates as a reader expects them: the year is shown whenever it is not the current one, so that
"Wed 1 May" never reads as next May when it was 2019.

    {% load when %}  {{ event.at|moment }}  {{ person.birthday|day }}  {{ sr.due_at|moment:"short" }}
"""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

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
    return date_filter(value, same if _this_year(value) else other)


@register.filter(expects_localtime=True, is_safe=False)
def moment(value, style="long"):
    """A datetime with its time, with its year unless it is this year's."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value, style)
    local = value if timezone.is_naive(value) else timezone.localtime(value)
    same, other = MOMENT_FORMATS.get(style, MOMENT_FORMATS["long"])
    return date_filter(local, same if _this_year(local) else other)


@register.filter(expects_localtime=True, is_safe=False)
def other_year(value):
    """The year alone, when it is not this one (beside a day-and-month chip); else nothing."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and not timezone.is_naive(value):
        value = timezone.localtime(value)
    return "" if _this_year(value) else str(value.year)

"""`moment` and `day` write dates themselves (a list's worth of `date` filters cost more than its
query): what they write is the `date` filter's answer, in English and in French, every month and
weekday, this year and another."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from concierge.templatetags import when

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FORMATS = [
    fmt for pair in (*when.MOMENT_FORMATS.values(), *when.DAY_FORMATS.values()) for fmt in pair
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_formats_match_the_date_filter(language):
    start = datetime.datetime(1999, 12, 27, 0, 7, tzinfo=datetime.UTC)
    moments = [
        timezone.localtime(start + datetime.timedelta(hours=37 * i), PARIS) for i in range(400)
    ]
    with translation.override(language):
        for fmt in FORMATS:
            for value in moments:
                shown = value if "H" in fmt else value.date()
                assert when._format(shown, fmt) == date_filter(shown, fmt), (fmt, shown)


def test_other_codes_are_left_to_the_date_filter():
    value = datetime.datetime(2024, 2, 29, 13, 5, tzinfo=datetime.UTC)
    for fmt in ("l j F Y", r"j \d\e M", "N j, P"):
        assert when._format(value, fmt) == date_filter(value, fmt)


def test_moment_in_french_this_year_and_another():
    with timezone.override(PARIS), translation.override("fr"):
        now = timezone.localtime()
        this_year = now.replace(month=2, day=3, hour=9, minute=5)
        assert when.moment(this_year) == date_filter(this_year, "D j M, H:i")
        assert when.moment(this_year.replace(year=2001)) == "3 Fév 2001, 09:05"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", [PARIS, zoneinfo.ZoneInfo("America/Los_Angeles")])
def test_a_pages_dates_are_moment_and_day(language, zone):
    # Dates looks the zone, the year and the names up once a page: its answers are the filters'.
    start = datetime.datetime(2024, 12, 30, 22, 7, tzinfo=datetime.UTC)
    values = [start + datetime.timedelta(hours=37 * i) for i in range(300)]
    values += [value.date() for value in values[::7]] + [None, ""]
    values += [datetime.datetime(2025, 5, 1, 23, 30)]  # naive: shown as it is
    with timezone.override(zone), translation.override(language):
        dates = when.Dates()
        for value in values:
            for style in ("long", "short", "unknown"):
                assert dates.moment(value, style) == when.moment(value, style), (value, style)
                assert dates.day(value, style) == when.day(value, style), (value, style)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Asia/Tokyo"])
def test_moments_says_what_moment_says(language, zone):
    """A page's formatter, its time zone, year and names read once: `moment`'s answer for every
    value, each side of New Year in the reader's zone, naive and empty values included."""
    start = datetime.datetime(2023, 12, 30, 0, 7, tzinfo=datetime.UTC)
    values = [start + datetime.timedelta(hours=37 * i) for i in range(400)]
    values += [None, "", datetime.date(2024, 3, 1), datetime.datetime(2024, 12, 31, 23, 30)]
    values += [timezone.localtime(value, PARIS) for value in values[:40]]
    with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
        for now in (datetime.datetime(2024, 12, 31, 22, tzinfo=datetime.UTC), start):
            with time_machine.travel(now, tick=False):
                for style in (*when.MOMENT_FORMATS, "unknown"):
                    formatted = when.Dates().moments(style)
                    for value in values:
                        assert formatted(value) == when.moment(value, style), (style, value)

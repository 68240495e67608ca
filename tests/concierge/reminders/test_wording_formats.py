"""A reminder's days and hours are written once per language and process: each reader still gets
their own locale's, whatever language asked before them."""

import datetime

from django.utils import formats, timezone, translation

from concierge.reminders import wording

DAY = datetime.date(2027, 5, 14)
AT = datetime.datetime(2027, 5, 14, 18, 0, tzinfo=datetime.UTC)


def test_each_language_reads_its_own_day_and_time_whoever_asked_first():
    with timezone.override(datetime.UTC):
        for language in ("en", "fr", "en", "fr"):
            with translation.override(language):
                assert wording.day(DAY) == formats.date_format(DAY, "MONTH_DAY_FORMAT")
                time = formats.time_format(AT.time(), "TIME_FORMAT")
                assert time in wording.moment(AT)
    with translation.override("fr"):
        assert wording.day(DAY) == "14 mai"
    with translation.override("en"):
        assert wording.day(DAY) == "May 14"

"""A reminder's days and hours are written once per language and process: each reader still gets
their own locale's, whatever language asked before them."""

import datetime

from django.utils import formats, timezone, translation

from concierge.models import Reminder
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


def test_a_sentence_ending_on_a_morning_hour_ends_once(concierge):
    """ "It was due May 14 at 2:33 a.m." (the English hour brings its own full stop), not "a.m.."."""
    due = datetime.datetime(2027, 5, 14, 2, 33, tzinfo=datetime.UTC)
    late = Reminder(owner=concierge, kind=Reminder.Kind.OVERDUE, due_at=due, for_due_at=due)
    with timezone.override(datetime.UTC):
        with translation.override("en"):
            assert wording.detail(late) == "It was due May 14 at 2:33 a.m."
        with translation.override("fr"):
            assert wording.detail(late).endswith("02:33.")
        late.for_due_at = late.for_due_at.replace(hour=18, minute=0)
        with translation.override("en"):
            assert wording.detail(late) == "It was due May 14 at 6 p.m."

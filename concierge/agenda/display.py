"""What each row of the agenda shows, worked out in Python once per row when the page is read.

Per row, template work was most of the page: each `{% translate %}` in a loop translates again,
each `|date` builds a formatter, each `{% url %}` walks the resolver. Here the words every row
repeats are translated once per page, dates are formatted by one function, and addresses are
spliced into a pattern reversed once (see concierge.common.links). Everything is composed now, in
the reader's language and time zone, never stored.
"""

import datetime

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..common.links import link
from ..templatetags.when import day, moment, other_year


def row_words() -> dict[str, str]:
    """The words every reminder row repeats, translated once per page."""
    return {
        "done": _("Done"),
        "all_seen": _("All seen"),
        "snooze": _("Snooze"),
        "snoozed": _("snoozed"),
        "in_an_hour": _("In 1 hour"),
        "tomorrow_9": _("Tomorrow 09:00"),
        "next_week": _("Next week"),
        "monday_9": _("Monday 09:00"),
        "dismiss": _("Dismiss"),
    }


def reminder_rows(reminders, tz, today: datetime.date) -> None:
    """Sets on each reminder what its row shows: its day and time (in `tz`), its kind, its links."""
    for reminder in reminders:
        local = reminder.due_at.astimezone(tz)
        reminder.on_earlier_day = local.date() < today
        reminder.on_later_day = local.date() > today
        reminder.day_text = day(local.date()) if local.date() != today else ""
        reminder.time_text = f"{local:%H:%M}"
        reminder.kind_label = reminder.get_kind_display()
        reminder.done_url = link("reminder-done", reminder.pk)
        reminder.snooze_url = link("reminder-snooze", reminder.pk)
        reminder.dismiss_url = link("reminder-dismiss", reminder.pk)
        if reminder.client_id:
            reminder.client_url = link("clients:detail", reminder.client_id)
        if reminder.service_request_id:
            reminder.request_url = link("requests:detail", reminder.service_request_id)


def _in_days(days: int) -> str:
    if days == 0:
        return ""  # "today" is set apart (emphasised) by the template
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}


def _age(birthday: bool, years) -> str:
    if not years:
        return ""
    if birthday:
        return _("turns %(age)s") % {"age": years}
    return ngettext("%(years)s year", "%(years)s years", years) % {"years": years}


def date_rows(dates, today: datetime.date) -> None:
    """Sets on each coming date what its row shows: the chip, when it comes, the age it marks."""
    when, ages = {}, {}  # the same words for the same number of days or years
    for item in dates:
        item.url = link("clients:detail", item.client_id)
        item.chip_day = item.next_on.day
        item.chip_month = MONTHS_3[item.next_on.month].title()  # what |date:"M" writes
        item.chip_year = other_year(item.next_on)
        if item.days not in when:
            when[item.days] = _in_days(item.days)
        item.when_text = when[item.days]
        age = (item.kind == "birthday", item.age_at_next(today))
        if age not in ages:
            ages[age] = _age(*age)
        item.age_text = ages[age]


def request_rows(service_requests) -> None:
    """Sets on each request what its row shows: whether it is late, since or until when, its status."""
    for service_request in service_requests:
        service_request.url = link("requests:detail", service_request.pk)
        service_request.late = service_request.is_overdue
        when = moment(service_request.due_at)
        if service_request.late:
            service_request.due_text = _("overdue since %(when)s") % {"when": when}
        else:
            service_request.due_text = _("due %(when)s") % {"when": when}
        service_request.status_label = service_request.get_status_display()

"""What each row of the agenda shows, worked out in Python once per row when the page is read.

Per row, template work was most of the page: each `{% translate %}` in a loop translates again,
each `|date` builds a formatter, each `{% url %}` walks the resolver. Here the words every row
repeats are translated once per page, dates are formatted by one function, and addresses are
spliced into a pattern reversed once (see concierge.common.links). Everything is composed now, in
the reader's language and time zone, never stored.
"""

import datetime

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clients.dates import age_words
from requests.models import Status

from ..common.choices import labels
from ..common.links import link, row_links
from ..common.markup import csrf_input, esc
from ..reminders.forms import ReminderForm
from ..templatetags.when import Dates


def row_words() -> dict[str, str]:
    """The words every reminder row repeats, translated and escaped once per page."""
    words = {
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
    return {name: esc(word) for name, word in words.items()}


def reminder_rows(reminders, tz, today: datetime.date) -> None:
    """Sets on each reminder what its row shows: its day and time (in `tz`), its kind, its links."""
    done_url, snooze_url, dismiss_url = (
        row_links("reminder-done"),
        row_links("reminder-snooze"),
        row_links("reminder-dismiss"),
    )
    client_url, request_url = row_links("clients:detail"), row_links("requests:detail")
    dates = Dates()
    for reminder in reminders:
        local = reminder.due_at.astimezone(tz)
        reminder.on_earlier_day = local.date() < today
        reminder.on_later_day = local.date() > today
        reminder.day_text = dates.day(local.date()) if local.date() != today else ""
        reminder.time_text = f"{local:%H:%M}"
        reminder.kind_label = reminder.get_kind_display()
        reminder.done_url = done_url(reminder.pk)
        reminder.snooze_url = snooze_url(reminder.pk)
        reminder.dismiss_url = dismiss_url(reminder.pk)
        if reminder.client_id:
            reminder.client_url = client_url(reminder.client_id)
        if reminder.service_request_id:
            reminder.request_url = request_url(reminder.service_request_id)


def _in_days(days: int) -> str:
    if days == 0:
        return ""  # "today" is set apart (emphasised) by the template
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}


def date_rows(dates, today: datetime.date) -> None:
    """Sets on each coming date what its row shows (`html`): the chip, when it comes, the age it
    marks, composed in Python (a row of template nodes per date was a fifth of the page)."""
    when, ages = {}, {}  # the same words for the same number of days or years
    today_word = f'<b class="is-due-soon">{esc(_("today"))}</b>'
    client_url = row_links("clients:detail")
    page = Dates()
    this_year, months = page.year, page.names[1]
    for item in dates:
        url = client_url(item.client_id)
        month = months[item.next_on.month]  # what |date:"M" writes
        year = "" if item.next_on.year == this_year else str(item.next_on.year)
        if item.days not in when:
            when[item.days] = esc(_in_days(item.days))
        age = (item.kind == "birthday", item.age)
        if age not in ages:
            ages[age] = esc(age_words(*age))
        chip = (
            f'<span class="date-chip{" is-soon" if item.days <= 3 else ""}">'
            f"<b>{item.next_on.day}</b>{esc(month)}"
            f"{f'<small>{esc(year)}</small>' if year else ''}</span>"
        )
        coming = today_word if item.days == 0 else when[item.days]
        aged = f" · {ages[age]}" if ages[age] else ""
        item.html = mark_safe(  # noqa: S308 (every value is escaped)
            '\n      <li class="row">\n'
            f'        <a class="row-main" href="{esc(url)}">\n'
            f"          {chip}\n"
            f"          <span><strong>{esc(item.title)}</strong>\n"
            f"            <small>{esc(item.client_name)} · {coming}{aged}</small></span>\n"
            "        </a>\n"
            "      </li>\n    "
        )


def request_rows(service_requests) -> None:
    """Sets on each request what its row shows (`html`): whether it is late, since or until when,
    its status, composed in Python."""
    request_url = row_links("requests:detail")
    moment = Dates().moments()
    statuses = labels(Status)
    for service_request in service_requests:
        url = request_url(service_request.pk)
        when = moment(service_request.due_at)
        if service_request.is_overdue:
            due = f'<span class="is-overdue">{esc(_("overdue since %(when)s") % {"when": when})}</span>'
        else:
            due = f'<span class="is-due-soon">{esc(_("due %(when)s") % {"when": when})}</span>'
        service_request.html = mark_safe(  # noqa: S308 (every value is escaped)
            '\n      <li class="row">\n'
            f'        <a class="row-main" href="{esc(url)}">\n'
            f"          <span><strong>{esc(service_request.title)}</strong>\n"
            f"            <small>{esc(service_request.client_name)} · {due}</small></span>\n"
            "        </a>\n"
            f'        <span class="status status-{esc(service_request.status)}">'
            f"{esc(statuses.get(service_request.status, service_request.status))}</span>\n"
            "      </li>\n    "
        )


def more_link(section: str, shown: int, total: int, agenda) -> str:
    """Under a list's first rows: "show all" (or the first 99), or "show fewer" when it is shown
    whole."""
    home = esc(link("agenda"))
    target = 'hx-target="#agenda-reminders" hx-swap="outerHTML" hx-push-url="true"'
    if agenda.show == section:
        return mark_safe(  # noqa: S308 (the address is escaped, the words are the catalogue's)
            f'<p class="agenda-more"><a href="{home}" hx-get="{home}" {target}>'
            f"{esc(_('Show fewer'))}</a></p>"
        )
    if total <= shown:
        return ""
    if total > agenda.cap:
        words = _("Show the first %(n)s") % {"n": agenda.cap}
    else:
        words = ngettext("Show all %(n)s", "Show all %(n)s", total) % {"n": total}
    section = esc(section)
    return mark_safe(  # noqa: S308 (the address and the section are escaped)
        f'<p class="agenda-more"><a href="{home}?show={section}" hx-get="{home}?show={section}" '
        f'{target} data-show="{section}">{words}</a></p>'
    )


def _more_items(reminder, agenda) -> str:
    """Under a catch-up's first items: "show all" (or the first 99), or "show fewer"."""
    return more_link("catch_up", len(reminder.items_shown), reminder.items_count, agenda)


def _about(reminder, agenda) -> str:
    """A catch-up's items, or the links to the client and the request the reminder is about."""
    if reminder.is_catch_up:
        items = "".join(
            f'<li data-subject="{esc(item.subject_key)}"><a href="{esc(item.get_absolute_url())}">'
            f"{esc(item.title)}</a></li>"
            for item in reminder.items_shown
        )
        return (
            f'\n    <ul class="catch-up-items" data-list="catch-up">\n      {items}\n    </ul>\n'
            f"    {_more_items(reminder, agenda)}\n    "
        )
    if not (reminder.client_id or reminder.service_request_id):
        return ""
    client = request = ""
    if reminder.client_id:
        client = (
            f'<a href="{esc(reminder.client_url)}"><svg class="i" aria-hidden="true">'
            f'<use href="#i-meeting"/></svg> {esc(reminder.client.display_name)}</a>'
        )
    if reminder.service_request_id:
        request = (
            f'<a href="{esc(reminder.request_url)}"><svg class="i" aria-hidden="true">'
            f'<use href="#i-request"/></svg> {esc(reminder.service_request.title)}</a>'
        )
    return f'\n    <p class="agenda-links">\n      {client}\n      {request}\n    </p>\n    '


def reminder_row(reminder, agenda, csrf: str, *, late=False, quiet=False) -> str:
    """A reminder's card in the agenda's lists, composed in Python: as a template included per row
    it was a third of the page's work. Every value is escaped here, as the template would; `csrf`
    is the form's token input (see concierge.common.markup.csrf_input)."""
    words = agenda.words
    catch_up = reminder.is_catch_up
    classes = "card agenda-item" + "".join(
        name
        for on, name in ((late, " is-late"), (quiet, " is-quiet"), (catch_up, " is-catch-up"))
        if on
    )
    day = f"<span>{esc(reminder.day_text)}</span>" if reminder.day_text else ""
    snoozed = f" · {words['snoozed']}" if reminder.state == "snoozed" else ""
    detail = reminder.detail
    detail = f'<p class="agenda-detail">{esc(detail)}</p>' if detail else ""
    post = 'hx-target="#agenda-reminders" hx-swap="outerHTML"'
    done = esc(reminder.done_url)
    snooze = ""
    if not quiet and not catch_up:
        to = esc(reminder.snooze_url)
        snooze = (
            '\n    <details class="snooze-menu">\n'
            f'      <summary class="btn btn-sm" data-action="snooze">{words["snooze"]}</summary>\n'
            f'      <form class="popover snooze-options" method="post" action="{to}" '
            f'hx-post="{to}" {post}>{csrf}\n'
            f'        <button type="submit" name="option" value="hour">{words["in_an_hour"]}</button>\n'
            f'        <button type="submit" name="option" value="tomorrow">{words["tomorrow_9"]}'
            "</button>\n"
            f'        <button type="submit" name="option" value="next_week">{words["next_week"]} '
            f"<small>{words['monday_9']}</small></button>\n"
            "      </form>\n"
            "    </details>\n    "
        )
    dismiss = ""
    if not catch_up:
        to = esc(reminder.dismiss_url)
        dismiss = (
            f'\n    <form class="agenda-dismiss-form" method="post" action="{to}" hx-post="{to}" '
            f'{post} hx-disabled-elt="find button">{csrf}\n'
            f'      <button type="submit" class="btn btn-sm btn-quiet agenda-dismiss" '
            f'data-action="dismiss">{words["dismiss"]}</button>\n'
            "    </form>\n    "
        )
    return mark_safe(  # noqa: S308 (every value above is escaped)
        f'<li class="{classes}" id="reminder-{reminder.pk}" data-reminder="{reminder.pk}" '
        f'data-subject="{esc(reminder.subject_key)}">\n'
        '  <div class="agenda-when">\n'
        f"    {day}\n"
        f"    <b>{esc(reminder.time_text)}</b>\n"
        "  </div>\n"
        '  <div class="agenda-text">\n'
        f'    <span class="agenda-kind kind-{esc(reminder.kind)}">{esc(reminder.kind_label)}'
        f"{snoozed}</span>\n"
        f'    <p class="agenda-title">{esc(reminder.title)}</p>\n'
        f"    {detail}\n"
        f"    {_about(reminder, agenda)}\n"
        "  </div>\n"
        '  <div class="agenda-actions">\n'
        f'    <form method="post" action="{done}" hx-post="{done}" {post} '
        f'hx-disabled-elt="find button">{csrf}\n'
        '      <button type="submit" class="btn btn-sm btn-primary" data-action="done">'
        '<span aria-hidden="true">✓</span> '
        f"{words['all_seen'] if catch_up else words['done']}</button>\n"
        "    </form>\n"
        f"    {snooze}\n"
        f"    {dismiss}\n"
        "  </div>\n"
        "</li>\n"
    )


FORM_TEMPLATE = "concierge/_reminder_form.html#reminder-form"
# Where the reader's own CSRF input goes in a form rendered once for everyone.
_TOKEN_SLOT = "csrf-token-slot-5f0c2e"
_empty_forms: dict = {}
EMPTY_FORMS_KEPT = 256


def empty_reminder_form(context) -> str:
    """The agenda's reminder form as the page first shows it, empty: the same markup for every
    reader of one language whose day it is (its quick choices are tomorrow, the day after and next
    week, at 10:00), so rendered once per process for each, and only the reader's CSRF input put in
    (an empty form's rendering was a third of the page's template work)."""
    user = context["user"]
    # Its only value is the reader's date (the choices' 10:00 is in their time zone, unwritten).
    key = (get_language(), get_script_prefix(), timezone.now().astimezone(user.tzinfo).date())
    html = _empty_forms.get(key)
    if html is None:
        form = ReminderForm(user=user)
        html = render_to_string(
            FORM_TEMPLATE, {"form": form, "where": "agenda", "csrf_token": _TOKEN_SLOT}
        )
        if len(_empty_forms) >= EMPTY_FORMS_KEPT:
            _empty_forms.clear()
        _empty_forms[key] = html
    slot = csrf_input({"csrf_token": _TOKEN_SLOT})
    return mark_safe(html.replace(slot, csrf_input(context)))  # noqa: S308 (rendered escaped)

"""The rows of the profile's parts, composed in Python: `{% contact_rows %}`, `{% household_rows %}`,
`{% date_rows %}`, `{% preference_rows %}` (each a section's whole list, with the form of the row
being edited), `{% row_actions %}` and `{% preference_row %}` (one row); `{% entry_main entry %}` and
`{% entry_record entry %}`: a timeline entry's words and its record button.

In the reader's language when the page is read: a profile has tens of such rows, and the same
markup as template nodes cost more than the rest of the page (an include, four `{% link %}` and a
dozen lookups each). Values are escaped as the template escaped them (`esc`: format_html's own
escaping cost a dozen calls a value); the words every row shares are made once per page."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from clients.dates import age_words
from clients.models.profile import STALE_AFTER
from concierge.common.links import link, row_links
from concierge.common.markup import csrf_input, esc, esc_lines, per_language
from concierge.templatetags.memo import per_page
from concierge.templatetags.text import breakable
from concierge.templatetags.when import Dates, moment

register = template.Library()

ACTIONS = (
    '\n<a class="icon-btn" title="{edit}" aria-label="{edit}" href="{edit_url}#section-{section}"'
    ' hx-get="{edit_url}" hx-target="#section-{section}" hx-swap="outerHTML">'
    '<svg class="i"><use href="#i-edit"/></svg></a>\n'
    '<form class="button-form" method="post" action="{delete_url}" hx-post="{delete_url}"'
    ' hx-confirm="{confirm}" hx-target="#section-{section}" hx-swap="outerHTML">{csrf}'
    '<input type="hidden" name="version" value="{version}">'
    '<button class="icon-btn" title="{delete}" aria-label="{delete}">'
    '<svg class="i"><use href="#i-trash"/></svg></button></form>\n'
)


@per_language
def _words() -> dict:
    """The rows' words in the reader's language."""
    return {
        "edit": gettext("Edit"),
        "delete": gettext("Delete"),
        "confirm": gettext("Delete this?"),
        "preferred": gettext("preferred"),
        "born": gettext("born"),
        "today": gettext("today"),
        "past": gettext("past"),
        "once": gettext("once"),
        "unconfirmed": gettext("Not confirmed for over a year"),
        "stale": gettext("stale"),
        "confirmed": gettext("confirmed"),
        "still_true": gettext("Still true"),
        "no_contacts": gettext("No phone or email yet."),
        "no_household": gettext("No household members yet."),
        "no_dates": gettext("No birthdays or anniversaries yet."),
    }


class Page:
    """What the rows of one page share: their words, the form's token, the dates' formatter, the
    client and the addresses their rows link to (each made once, see row_links)."""

    def __init__(self, context):
        self.words = _words()
        self.csrf = csrf_input(context)
        self.dates = Dates()
        self.client_pk = context["client"].pk
        self._links: dict = {}

    def link(self, name: str, *args):
        """`row_links(name, *args)`, once per page."""
        key = (name, *args)
        row_link = self._links.get(key)
        if row_link is None:
            row_link = self._links[key] = row_links(name, *args)
        return row_link


def page_of(context) -> Page:
    return per_page(context, "profile_rows", lambda: Page(context))


def _actions(page: Page, section: str, part) -> str:
    words = page.words
    return _actions_markup(
        section,
        page.link("clients:part-edit", page.client_pk, section)(part.pk),
        page.link("clients:part-delete", page.client_pk, section)(part.pk),
        page.csrf,
        part.version,
        words["edit"],
        words["delete"],
        words["confirm"],
    )


def _actions_markup(section, edit_url, delete_url, csrf, version, edit, delete, confirm) -> str:
    return ACTIONS.format(
        edit=edit,
        delete=delete,
        confirm=confirm,
        section=section,
        edit_url=esc(edit_url),
        delete_url=esc(delete_url),
        csrf=csrf,
        version=version,
    )


@register.simple_tag(takes_context=True)
def row_actions(context, section: str, part, bare: bool = False):
    """The labels are set once by the section (`label_edit`, `label_delete`,
    `label_delete_confirm`); the row's actions in a `row-actions` div unless `bare`."""
    pk = context["client"].pk
    html = _actions_markup(
        section,
        link("clients:part-edit", pk, section, part.pk),
        link("clients:part-delete", pk, section, part.pk),
        csrf_input(context),
        part.version,
        esc(context.get("label_edit", "")),
        esc(context.get("label_delete", "")),
        esc(context.get("label_delete_confirm", "")),
    )
    if bare:
        return mark_safe(f"{html}\n")  # noqa: S308 (escaped above)
    return mark_safe(f'<div class="row-actions">{html}</div>\n')  # noqa: S308


def _rows(context, section: str, parts, compose, empty: str) -> str:
    """What `{% for part in parts %}` wrote around each row: the row, or the form of the row being
    edited, or the empty line."""
    if not parts:
        return mark_safe(f'<li class="row-empty">{empty}</li>\n  ')  # noqa: S308
    page = page_of(context)
    editing = context.get("editing") if context.get("section") == section else None
    out = []
    for part in parts:
        if editing is not None and editing == part.pk:
            out.append(f"\n    <li>{_part_form(context, section, part)}</li>\n  ")
            continue
        row = compose(
            part, page, f'<div class="row-actions">{_actions(page, section, part)}</div>\n'
        )
        out.append(f'\n    \n    <li class="row">\n{row}\n    </li>\n  ')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)


def _part_form(context, section: str, part) -> str:
    """`{% include "clients/_part_form.html" with section=… part=… %}`"""
    form = context.template.engine.get_template("clients/_part_form.html")
    with context.push(section=section, part=part):
        return form.render(context)


CONTACT_ICONS = {"phone": "call", "messaging": "message"}


def _contact(point, page: Page, actions: str) -> str:
    href = f'href="{esc(point.href)}"' if point.href else ""
    icon = esc(CONTACT_ICONS.get(point.kind, point.kind))
    preferred = ""
    if point.preferred:
        preferred = f' <span class="badge">{page.words["preferred"]}</span>'
    label = f" · {esc(point.label)}" if point.label else ""
    best_times = f" · {esc(point.best_times)}" if point.best_times else ""
    return (
        f'      <a class="row-main" {href}>\n'
        f'        <span class="row-icon" aria-hidden="true"><svg class="i"><use href="#i-{icon}"/>'
        "</svg></span>\n"
        f'        <span><strong class="contact-value">{breakable(point.value)}</strong>{preferred}\n'
        f"        <small>{esc(point.get_kind_display())}{label}{best_times}</small></span>\n"
        "      </a>\n"
        f"      {actions}"
    )


@register.simple_tag(takes_context=True)
def contact_rows(context, points):
    return _rows(context, "contacts", points, _contact, _words()["no_contacts"])


def _person(person, page: Page, actions: str) -> str:
    born = ""
    if person.birthday:
        born = f" · {page.words['born']} {esc(page.dates.day(person.birthday, 'short'))}"
    phone = ""
    if person.phone:
        phone = f' · <a href="tel:{esc(person.phone)}">{esc(person.phone)}</a>'
    notes = f'<small class="note">{esc(person.notes)}</small>' if person.notes else ""
    return (
        '      <div class="row-main"><span class="avatar" aria-hidden="true">'
        f"{esc(person.name[:1])}</span>\n"
        f"        <span><strong>{esc(person.name)}</strong> <small>"
        f"{esc(person.get_kind_display())}{born}{phone}</small>\n"
        f"        {notes}</span></div>\n"
        f"      {actions}"
    )


@register.simple_tag(takes_context=True)
def household_rows(context, household):
    return _rows(context, "household", household, _person, _words()["no_household"])


def _date(item, page: Page, actions: str) -> str:
    words = page.words
    days = item.days
    shown = item.next_on or item.date
    year = "" if shown.year == page.dates.year else f"<small>{shown.year}</small>"
    soon = " is-soon" if days is not None and days <= 14 else ""
    if days == 0:
        when = words["today"]
    elif days is not None:
        when = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    else:
        when = words["past"]
    age = age_words(item.kind == "birthday", item.age_at_next())
    if age:
        when += f" · {age}"
    if not item.yearly:
        when += f" · {words['once']}"
    month = esc(page.dates.names[1][shown.month])
    return (
        '      <div class="row-main">\n'
        f'        <span class="date-chip{soon}"><b>{shown.day}</b>{month}{year}</span>\n'
        f"        <span><strong>{esc(item.title)}</strong>\n"
        f"        <small>{when}</small></span>\n"
        "      </div>\n"
        f"      {actions}"
    )


@register.simple_tag(takes_context=True)
def date_rows(context, dates):
    return _rows(context, "dates", dates, _date, _words()["no_dates"])


PREFERENCE = (
    '<li class="row{confirm_class}">\n'
    '      <div class="row-main">\n'
    '        <span><span class="kind kind-{kind}">{kind_label}</span><strong>{detail}</strong>'
    "{relation}\n"
    "        <small>{source}{captured_by} · {captured_at}{freshness}</small></span></div>\n"
    '      <div class="row-actions">\n'
    "        {confirm}\n"
    "        {actions}\n"
    "      </div>\n"
    "    </li>"
)


def _preference(page: Page, pref, actions: str, now) -> str:
    words = page.words
    stale = now - pref.last_confirmed_at > STALE_AFTER  # Preference.is_stale, one clock a page
    relation = ""
    if pref.relation_id:
        relation = f' <small class="who">({esc(pref.relation.name)})</small>'
    captured_by = ""
    if pref.captured_by_id:
        captured_by = f" · {esc(pref.captured_by.display_name)}"
    confirm = ""
    if stale:
        freshness = (
            f' · <span class="badge badge-warn" title="{words["unconfirmed"]}">'
            f"{words['stale']}</span>"
        )
        url = esc(page.link("clients:preference-confirm", page.client_pk)(pref.pk))
        confirm = (
            f'<form class="button-form" method="post" action="{url}" hx-post="{url}"'
            f' hx-target="#section-preferences" hx-swap="outerHTML">{page.csrf}'
            f'<button class="btn btn-sm">{words["still_true"]}</button></form>'
        )
    else:
        freshness = (
            f" · {words['confirmed']} {esc(page.dates.day(pref.last_confirmed_at, 'short'))}"
        )
    return PREFERENCE.format(
        confirm_class=" has-confirm" if stale else "",
        kind=esc(pref.kind),
        kind_label=esc(pref.get_kind_display()),
        detail=esc(pref.detail),
        relation=relation,
        source=esc(pref.get_source_display()),
        captured_by=captured_by,
        captured_at=esc(page.dates.day(pref.captured_at, "short")),
        freshness=freshness,
        confirm=confirm,
        actions=actions,
    )


@register.simple_tag(takes_context=True)
def preference_row(context, pref):
    """A preference on the profile: what, whose, where it came from, and whether it is still
    confirmed (a stale one offers "Still true"), with its edit and delete buttons."""
    actions = row_actions(context, "preferences", pref, bare=True)
    return mark_safe(_preference(page_of(context), pref, actions, timezone.now()))  # noqa: S308


@register.simple_tag(takes_context=True)
def preference_rows(context, prefs):
    """A category's preferences, as `{% for %}` wrote them (with the form of the one being
    edited)."""
    page = page_of(context)
    now = timezone.now()
    editing = context.get("editing") if context.get("section") == "preferences" else None
    out = []
    for pref in prefs:
        if editing is not None and editing == pref.pk:
            row = f"<li>{_part_form(context, 'preferences', pref)}</li>"
        else:
            actions = _actions(page, "preferences", pref) + "\n"
            row = "\n    " + _preference(page, pref, actions, now)
        out.append(f"\n    {row}\n    ")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)


@register.simple_tag
def constraint_rows(prefs):
    """The banner's allergies and nevers, as its `{% for %}` wrote them: what, whose, and a badge
    when critical."""
    out = []
    for pref in prefs:
        whose = f' <span class="who">({esc(pref.relation.name)})</span>' if pref.relation_id else ""
        critical = ""
        if pref.severity == "critical":
            critical = (
                f' <span class="badge badge-danger">{esc(pref.get_severity_display())}</span>'
            )
        out.append(
            f"\n    <li><strong>{esc(pref.get_kind_display())}</strong> · {esc(pref.detail)}"
            f"{whose}{critical}</li>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped)


@register.simple_tag
def entry_main(entry):
    """A timeline entry's title (a link when it has one), words and when and by whom (not for
    voice notes, which have their own markup)."""
    title = entry.title
    if entry.url:
        title = format_html('<a href="{}">{}</a>', entry.url, entry.title)
    body = ""
    if entry.body:
        body = format_html('<p class="entry-body">{}</p>', mark_safe(esc_lines(entry.body)))  # noqa: S308
    by = format_html(" · {}", entry.by) if entry.by else ""
    return format_html(
        '<div class="entry-main"><p class="entry-title">{}</p>\n        {}\n'
        "        <small>{}{}</small>",
        title,
        body,
        moment(entry.when),
        by,
    )


@register.simple_tag(takes_context=True)
def entry_record(context, entry):
    """On an interaction: the button that records a voice note about it (`label_note_about` is set
    once by the timeline)."""
    if entry.kind != "interaction":
        return ""
    label = context.get("label_note_about", "")
    return format_html(
        '<button type="button" class="icon-btn entry-record" data-recorder-open="note"'
        ' data-recorder-interaction="{}" data-recorder-about="{}, {}" aria-controls="recorder"'
        ' aria-label="{}" title="{}"><svg class="i" aria-hidden="true"><use href="#i-mic"/></svg>'
        "</button>",
        entry.item.pk,
        entry.title,
        moment(entry.when),
        label,
        label,
    )

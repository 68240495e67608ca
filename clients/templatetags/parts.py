"""`{% row_actions section part %}`: the edit and delete buttons of a row of the profile's parts;
`{% preference_row pref %}`: a preference's row, with them; `{% entry_main entry %}` and
`{% entry_record entry %}`: a timeline entry's words and its record button.

Composed in Python, in the reader's language when the page is read: a profile has tens of such
rows, and the same markup as an included template cost more than the rest of the row (an include,
four `{% link %}` and a dozen lookups each)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext

from concierge.common.links import link
from concierge.templatetags.memo import per_page
from concierge.templatetags.when import day, moment

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


def _csrf(context) -> str:
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    return ""


@register.simple_tag(takes_context=True)
def row_actions(context, section: str, part, bare: bool = False):
    """The labels are set once by the section (`label_edit`, `label_delete`,
    `label_delete_confirm`); the row's actions in a `row-actions` div unless `bare`."""
    csrf = _csrf(context)
    pk = context["client"].pk
    html = format_html(
        ACTIONS,
        edit=context.get("label_edit", ""),
        delete=context.get("label_delete", ""),
        confirm=context.get("label_delete_confirm", ""),
        section=section,
        edit_url=link("clients:part-edit", pk, section, part.pk),
        delete_url=link("clients:part-delete", pk, section, part.pk),
        csrf=csrf,
        version=part.version,
    )
    if bare:
        return format_html("{}\n", html)
    return format_html('<div class="row-actions">{}</div>\n', html)


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


def _preference_words() -> dict:
    """The row's words in the reader's language (made once per page, see per_page)."""
    return {
        "unconfirmed": gettext("Not confirmed for over a year"),
        "stale": gettext("stale"),
        "confirmed": gettext("confirmed"),
        "still_true": gettext("Still true"),
    }


@register.simple_tag(takes_context=True)
def preference_row(context, pref):
    """A preference on the profile: what, whose, where it came from, and whether it is still
    confirmed (a stale one offers "Still true"), with its edit and delete buttons."""
    words = per_page(context, "preference_row_words", _preference_words)
    stale = pref.is_stale
    relation = ""
    if pref.relation:
        relation = format_html(' <small class="who">({})</small>', pref.relation.name)
    captured_by = ""
    if pref.captured_by:
        captured_by = format_html(" · {}", pref.captured_by.display_name)
    confirm = ""
    if stale:
        freshness = format_html(
            ' · <span class="badge badge-warn" title="{}">{}</span>',
            words["unconfirmed"],
            words["stale"],
        )
        url = link("clients:preference-confirm", context["client"].pk, pref.pk)
        confirm = format_html(
            '<form class="button-form" method="post" action="{url}" hx-post="{url}"'
            ' hx-target="#section-preferences" hx-swap="outerHTML">{csrf}'
            '<button class="btn btn-sm">{label}</button></form>',
            url=url,
            csrf=_csrf(context),
            label=words["still_true"],
        )
    else:
        freshness = format_html(
            " · {} {}", words["confirmed"], day(pref.last_confirmed_at, "short")
        )
    return format_html(
        PREFERENCE,
        confirm_class=" has-confirm" if stale else "",
        kind=pref.kind,
        kind_label=pref.get_kind_display(),
        detail=pref.detail,
        relation=relation,
        source=pref.get_source_display(),
        captured_by=captured_by,
        captured_at=day(pref.captured_at, "short"),
        freshness=freshness,
        confirm=confirm,
        actions=row_actions(context, "preferences", pref, bare=True),
    )


@register.simple_tag
def entry_main(entry):
    """A timeline entry's title (a link when it has one), words and when and by whom (not for
    voice notes, which have their own markup)."""
    title = entry.title
    if entry.url:
        title = format_html('<a href="{}">{}</a>', entry.url, entry.title)
    body = ""
    if entry.body:
        body = format_html(
            '<p class="entry-body">{}</p>', linebreaksbr(entry.body, autoescape=True)
        )
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

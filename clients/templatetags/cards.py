"""`{% client_card client %}`: a client's card in the portfolio list, composed in Python.

A page has 25 cards; as template markup each cost some forty nodes (lookups, conditions, a
translation, a link), more than the rest of the page. The words are still translated when the
page is read, in the reader's language, once per page."""

from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from concierge.common.links import link
from concierge.templatetags.memo import per_page

register = template.Library()

CARD = (
    '<li class="card client-card{unassigned_class}">\n'
    "      {pick}\n"
    "      {avatar}\n"
    '      <div class="client-card-body">\n'
    '        <a class="client-card-link" href="{url}">{name}</a>\n'
    "        {greeting}\n"
    '        <div class="client-card-meta">\n'
    '          <span class="badge tier-{tier}">{tier_label}</span>\n'
    "          {concierge}\n"
    "          {tags}\n"
    "        </div>\n"
    "      </div>\n"
    '      <span class="client-card-chevron" aria-hidden="true">›</span>\n'
    "    </li>"
)


def _words() -> dict:
    """The card's words in the reader's language (made once per page, see per_page)."""
    return {
        "you": gettext("You"),
        "unassigned": gettext("Unassigned"),
        "select": gettext("Select %(name)s"),
    }


@register.simple_tag(takes_context=True)
def client_card(context, client):
    """Reads `user`, `assign_form` (a manager's list has a checkbox per card) and `list_url`."""
    words = per_page(context, "client_card_words", _words)
    user = context["user"]
    name = conditional_escape(client.display_name)
    pick = ""
    if context.get("assign_form"):
        label = mark_safe(words["select"] % {"name": name})  # noqa: S308 (blocktranslate's way)
        pick = format_html(
            '<input type="checkbox" class="pick" name="clients" value="{}" aria-label="{}">',
            client.pk,
            label,
        )
    if client.photo:
        avatar = format_html('<img class="avatar avatar-lg" src="{}" alt="">', client.photo_url)
    else:
        avatar = format_html(
            '<span class="avatar avatar-lg" aria-hidden="true">{}</span>', client.initials
        )
    greeting = ""
    if client.form_of_address:
        greeting = format_html(
            '<span class="client-card-greeting">{}</span>', client.form_of_address
        )
    concierge = ""
    if client.primary_concierge:
        who = (
            words["you"]
            if client.primary_concierge_id == user.pk
            else client.primary_concierge.display_name
        )
        concierge = format_html('<span class="client-card-concierge">{}</span>', who)
    elif user.is_manager:
        concierge = format_html('<span class="badge badge-warn">{}</span>', words["unassigned"])
    list_url = context.get("list_url", "")
    tags = format_html_join(
        "",
        '<a class="chip chip-xs" href="{}?tag={}">{}</a>',
        ((list_url, quote(tag.name), tag.name) for tag in client.tag_list),
    )
    return format_html(
        CARD,
        unassigned_class="" if client.primary_concierge_id else " is-unassigned",
        pick=pick,
        avatar=avatar,
        url=link("clients:detail", client.pk),
        name=name,
        greeting=greeting,
        tier=client.tier,
        tier_label=client.get_tier_display(),
        concierge=concierge,
        tags=tags,
    )

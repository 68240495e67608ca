"""`{% client_cards page.object_list %}`: the cards of the portfolio list, composed in Python.

A page has 25 cards; as template markup each cost some forty nodes (lookups, conditions, a
translation, a link), more than the rest of the page; composed with format_html, still 500 calls a
card (its escaping of each value, a label's translation). Here values are escaped with `esc`, the
words and the tiers' labels are made once per language (per_language), the address once per page
(row_links), and the page's cards are one string."""

from urllib.parse import quote

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from concierge.common.links import row_links
from concierge.common.markup import esc, per_language

from ..models import Client

register = template.Library()

# Each card as the loop of the list's template wrote it, with the white space around it.
CARD = (
    '\n    <li class="card client-card{unassigned_class}">\n'
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
    "    </li>\n    "
)


@per_language
def _words() -> dict:
    """The cards' words in the reader's language, and each tier's label (`tier:<value>`)."""
    return {
        "you": gettext("You"),
        "unassigned": gettext("Unassigned"),
        **{f"tier:{value}": str(label) for value, label in Client.Tier.choices},
    }


@register.simple_tag(takes_context=True)
def client_cards(context, clients):
    """Each client's `tag_names` (see clients.views.portfolio); reads `user`, `assign_form` (a
    manager's list has a checkbox per card) and `list_url`."""
    words = _words()
    user = context["user"]
    user_pk = user.pk
    you = words["you"]
    unassigned = (
        f'<span class="badge badge-warn">{words["unassigned"]}</span>' if user.is_manager else ""
    )
    # As blocktranslate writes it: the words as translated, the name escaped.
    select = gettext("Select %(name)s") if context.get("assign_form") else None
    detail = row_links("clients:detail")
    photo_link = row_links("clients:photo")
    tag_link = f'<a class="chip chip-xs" href="{esc(context.get("list_url", ""))}?tag='
    cards = []
    for client in clients:
        pk = client.pk
        name = esc(client.display_name)
        pick = ""
        if select is not None:
            label = select % {"name": name}
            pick = f'<input type="checkbox" class="pick" name="clients" value="{pk}" aria-label="{label}">'
        if client.photo:
            # Client.photo_url, its address spliced (see row_links).
            src = f"{photo_link(pk)}?v={client.photo_version}"
            avatar = f'<img class="avatar avatar-lg" src="{esc(src)}" alt="">'
        else:
            avatar = (
                f'<span class="avatar avatar-lg" aria-hidden="true">{esc(client.initials)}</span>'
            )
        greeting = ""
        if client.form_of_address:
            greeting = f'<span class="client-card-greeting">{esc(client.form_of_address)}</span>'
        concierge_id = client.primary_concierge_id
        if concierge_id is not None:
            who = you if concierge_id == user_pk else esc(client.primary_concierge.display_name)
            concierge = f'<span class="client-card-concierge">{who}</span>'
        else:
            concierge = unassigned
        tier = client.tier
        tier_label = words.get(f"tier:{tier}")
        if tier_label is None:
            tier_label = esc(client.get_tier_display())
        # `|urlencode` (quote, "/" kept) leaves nothing to escape.
        tags = "".join([f'{tag_link}{quote(tag)}">{esc(tag)}</a>' for tag in client.tag_names])
        cards.append(
            CARD.format(
                unassigned_class="" if concierge_id else " is-unassigned",
                pick=pick,
                avatar=avatar,
                url=detail(pk),
                name=name,
                greeting=greeting,
                tier=esc(tier),
                tier_label=tier_label,
                concierge=concierge,
                tags=tags,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 (every value escaped above)

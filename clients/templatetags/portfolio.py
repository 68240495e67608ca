"""`{% portfolio_filters %}`: the portfolio's search box and filters, composed in Python.

As template markup the bar cost some 6,000 Python calls a page (a dozen translations at 80 calls
each, a loop of options over every tag, the tiers' and the concierges' choices); its words are now
made once per language (per_language) and its values escaped with `esc`."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from concierge.common.markup import esc, per_language

register = template.Library()

FILTERS = """<form class="portfolio-filters" method="get" action="{url}" role="search"
      hx-get="{url}" hx-target="#results" hx-swap="outerHTML" hx-include="this"
      hx-push-url="true" hx-sync="this:replace" hx-indicator="#results">
  <div class="search-field">
    <input type="search" name="q" value="{query}" class="input" autocomplete="off" spellcheck="false" enterkeyhint="search"
           placeholder="{placeholder}" aria-label="{search_clients}"
           hx-get="{url}" hx-trigger="input changed delay:250ms, search">
    <button type="submit" class="search-submit" aria-label="{search}"><svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="6.5"/><path d="m16 16 4.5 4.5"/></svg></button>
  </div>
  <fieldset class="tier-chips">
    <legend class="visually-hidden">{tier}</legend>
    <label class="chip"><input type="radio" name="tier" value="" hx-get="{url}"{all_checked}>{all}</label>
    {tiers}
  </fieldset>
  <div class="filter-selects">
    <label class="filter-select">
      <span class="visually-hidden">{concierge_label}</span>
      <select name="concierge" class="input" hx-get="{url}">
        {concierges}
      </select>
    </label>
    <label class="filter-select">
      <span class="visually-hidden">{tag}</span>
      <select name="tag" class="input" hx-get="{url}">
        <option value="">{all_tags}</option>
        {tags}
      </select>
    </label>
  </div>
</form>"""


@per_language
def _words() -> dict:
    return {
        "placeholder": gettext("Name, phone, email, tag…"),
        "search_clients": gettext("Search clients"),
        "search": gettext("Search"),
        "tier": gettext("Tier"),
        "all": gettext("All"),
        "concierge": gettext("Concierge"),
        "role": gettext("Role"),
        "tag": gettext("Tag"),
        "all_tags": gettext("All tags"),
    }


def _marked(chosen, value) -> str:
    return " selected" if chosen == value else ""


@register.simple_tag(takes_context=True)
def portfolio_filters(context):
    """Reads `filters` (a PortfolioFilterForm), `tier_choices`, `tag_names` (a callable: only the
    full page reads the tags), `query`, `list_url` and `user`."""
    words = _words()
    filters = context["filters"]
    chosen = filters.cleaned_data
    url = esc(context["list_url"])
    tier = chosen.get("tier")
    tiers = "".join(
        [
            f'\n    <label class="chip"><input type="radio" name="tier" value="{esc(value)}"'
            f' hx-get="{url}"{" checked" if tier == value else ""}>{esc(label)}</label>\n    '
            for value, label in context["tier_choices"]
        ]
    )
    concierge = chosen.get("concierge")
    concierges = "".join(
        [
            f'<option value="{esc(value)}"{_marked(concierge, value)}>{esc(label)}</option>'
            for value, label in filters.fields["concierge"].choices
        ]
    )
    tag = chosen.get("tag")
    tags = "".join(
        [
            f'<option value="{esc(name)}"{_marked(tag, name)}>{esc(name)}</option>'
            for name in context["tag_names"]()
        ]
    )
    return mark_safe(  # noqa: S308 (every value escaped above)
        FILTERS.format(
            url=url,
            query=esc(context["query"]),
            placeholder=words["placeholder"],
            search_clients=words["search_clients"],
            search=words["search"],
            tier=words["tier"],
            all_checked="" if tier else " checked",
            all=words["all"],
            tiers=tiers,
            concierge_label=words["concierge"] if context["user"].is_manager else words["role"],
            concierges=concierges,
            tag=words["tag"],
            all_tags=words["all_tags"],
            tags=tags,
        )
    )

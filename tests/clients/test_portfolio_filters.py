"""The portfolio's search box and filters, composed in Python (`{% portfolio_filters %}`), are the
markup the template gave, in each language, for a manager and a concierge, whatever is chosen."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from clients.forms import PortfolioFilterForm
from clients.models import Client

pytestmark = pytest.mark.django_db

# The markup this tag replaced, as it was.
FILTERS = (
    '<form class="portfolio-filters" method="get" action="{{ list_url }}" role="search"\n'
    '      hx-get="{{ list_url }}" hx-target="#results" hx-swap="outerHTML" hx-include="this"\n'
    '      hx-push-url="true" hx-sync="this:replace" hx-indicator="#results">\n'
    '  <div class="search-field">\n'
    '    <input type="search" name="q" value="{{ query }}" class="input" autocomplete="off" spellcheck="false" enterkeyhint="search"\n'
    "           placeholder=\"{% translate 'Name, phone, email, tag…' %}\" aria-label=\"{% translate 'Search clients' %}\"\n"
    '           hx-get="{{ list_url }}" hx-trigger="input changed delay:250ms, search">\n'
    '    <button type="submit" class="search-submit" aria-label="{% translate \'Search\' %}"><svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="11" cy="11" r="6.5"/><path d="m16 16 4.5 4.5"/></svg></button>\n'
    "  </div>\n"
    '  <fieldset class="tier-chips">\n'
    '    <legend class="visually-hidden">{% translate "Tier" %}</legend>\n'
    '    <label class="chip"><input type="radio" name="tier" value="" hx-get="{{ list_url }}"{% if not filters.cleaned_data.tier %} checked{% endif %}>{% translate "All" %}</label>\n'
    "    {% for value, label in tier_choices %}\n"
    '    <label class="chip"><input type="radio" name="tier" value="{{ value }}" hx-get="{{ list_url }}"{% if filters.cleaned_data.tier == value %} checked{% endif %}>{{ label }}</label>\n'
    "    {% endfor %}\n"
    "  </fieldset>\n"
    '  <div class="filter-selects">\n'
    '    <label class="filter-select">\n'
    '      <span class="visually-hidden">{% if user.is_manager %}{% translate "Concierge" %}{% else %}{% translate "Role" %}{% endif %}</span>\n'
    '      <select name="concierge" class="input" hx-get="{{ list_url }}">\n'
    '        {% for value, label in filters.fields.concierge.choices %}<option value="{{ value }}"{% if filters.cleaned_data.concierge == value %} selected{% endif %}>{{ label }}</option>{% endfor %}\n'
    "      </select>\n"
    "    </label>\n"
    '    <label class="filter-select">\n'
    '      <span class="visually-hidden">{% translate "Tag" %}</span>\n'
    '      <select name="tag" class="input" hx-get="{{ list_url }}">\n'
    '        <option value="">{% translate "All tags" %}</option>\n'
    '        {% for tag in tags %}<option value="{{ tag.name }}"{% if filters.cleaned_data.tag == tag.name %} selected{% endif %}>{{ tag.name }}</option>{% endfor %}\n'
    "      </select>\n"
    "    </label>\n"
    "  </div>\n"
    "</form>"
)

TAGS = ["Art & vin", "Ski/été", "<b>", "opéra"]


def render_both(user, data: dict, language: str, tags=TAGS) -> tuple[str, str]:
    filters = PortfolioFilterForm(data, user=user)
    context = {
        "filters": filters,
        "query": filters.value("q"),
        "tier_choices": Client.Tier.choices,
        "tags": [SimpleNamespace(name=name) for name in tags],
        "tag_names": lambda: list(tags),
        "list_url": "/clients/",
        "user": user,
    }
    with translation.override(language):
        ours = Template("{% load portfolio %}{% portfolio_filters %}").render(Context(context))
        theirs = Template("{% load i18n %}" + FILTERS).render(Context(context))
    return ours, theirs


CHOSEN = [
    {},
    {"q": 'd\'Harcourt <&> "x"', "tier": "private", "tag": "Art & vin", "concierge": "backup"},
    {"tier": "premium", "tag": "<b>", "concierge": "primary"},
    {"tier": "nonsense", "concierge": "nonsense", "tag": "unknown"},
    {"concierge": "unassigned"},
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["manager", "concierge"])
@pytest.mark.parametrize("data", CHOSEN)
def test_the_tag_gives_the_templates_markup(request, language, who, data, concierge, colleague):
    user = request.getfixturevalue(who)
    if who == "manager":
        data = {**data, "concierge": str(colleague.pk)} if data.get("concierge") else data
    ours, theirs = render_both(user, data, language)
    assert ours == theirs
    assert ours.count("<option") > len(TAGS)


def test_without_tags_only_all_tags_is_offered(concierge):
    ours, theirs = render_both(concierge, {}, "en", tags=[])
    assert ours == theirs

"""A section's rows on the profile, composed in Python (`{% contact_rows %}`, `{% household_rows %}`,
`{% date_rows %}`, `{% preference_rows %}`), are the markup the template's loops gave, in each
language: every kind of row, the empty list, and the form of the row being edited."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from clients import profile
from clients.forms import ContactPointForm, ImportantDateForm, PreferenceForm, RelationForm
from clients.models import Relation
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    PreferenceFactory,
)

pytestmark = pytest.mark.django_db

LOAD = (
    "{% load i18n links parts text when %}"
    '{% translate "Edit" as label_edit %}{% translate "Delete" as label_delete %}'
    '{% translate "Delete this?" as label_delete_confirm %}'
)

# The loops these tags replaced, as they were.
CONTACTS = """{% for point in contact_points %}
    {% if editing == point.pk and section == "contacts" %}<li>{% include "clients/_part_form.html" with section="contacts" part=point %}</li>{% else %}
    <li class="row">
      <a class="row-main" {% if point.href %}href="{{ point.href }}"{% endif %}>
        <span class="row-icon" aria-hidden="true"><svg class="i"><use href="#i-{% if point.kind == "phone" %}call{% elif point.kind == "messaging" %}message{% else %}{{ point.kind }}{% endif %}"/></svg></span>
        <span><strong class="contact-value">{{ point.value|breakable }}</strong>{% if point.preferred %} <span class="badge">{% translate "preferred" %}</span>{% endif %}
        <small>{{ point.get_kind_display }}{% if point.label %} · {{ point.label }}{% endif %}{% if point.best_times %} · {{ point.best_times }}{% endif %}</small></span>
      </a>
      {% row_actions "contacts" point %}
    </li>{% endif %}
  {% empty %}<li class="row-empty">{% translate "No phone or email yet." %}</li>
  {% endfor %}"""  # noqa: E501

HOUSEHOLD = """{% for person in household %}
    {% if editing == person.pk and section == "household" %}<li>{% include "clients/_part_form.html" with section="household" part=person %}</li>{% else %}
    <li class="row">
      <div class="row-main"><span class="avatar" aria-hidden="true">{{ person.name|slice:":1" }}</span>
        <span><strong>{{ person.name }}</strong> <small>{{ person.get_kind_display }}{% if person.birthday %} · {% translate "born" %} {{ person.birthday|day:"short" }}{% endif %}{% if person.phone %} · <a href="tel:{{ person.phone }}">{{ person.phone }}</a>{% endif %}</small>
        {% if person.notes %}<small class="note">{{ person.notes }}</small>{% endif %}</span></div>
      {% row_actions "household" person %}
    </li>{% endif %}
  {% empty %}<li class="row-empty">{% translate "No household members yet." %}</li>
  {% endfor %}"""  # noqa: E501

DATES = """{% for item in dates %}
    {% if editing == item.pk and section == "dates" %}<li>{% include "clients/_part_form.html" with section="dates" part=item %}</li>{% else %}
    <li class="row">
      <div class="row-main">
        <span class="date-chip{% if item.days is not None and item.days <= 14 %} is-soon{% endif %}"><b>{{ item.next_on|default:item.date|date:"j" }}</b>{{ item.next_on|default:item.date|date:"M" }}{% with year=item.next_on|default:item.date|other_year %}{% if year %}<small>{{ year }}</small>{% endif %}{% endwith %}</span>
        <span><strong>{{ item.title }}</strong>
        <small>{% if item.days == 0 %}{% translate "today" %}{% elif item.days is not None %}{% blocktranslate count days=item.days %}in {{ days }} day{% plural %}in {{ days }} days{% endblocktranslate %}{% else %}{% translate "past" %}{% endif %}{% with age=item.age_at_next %}{% if age %} · {% if item.kind == "birthday" %}{% blocktranslate %}turns {{ age }}{% endblocktranslate %}{% else %}{% blocktranslate count years=age %}{{ years }} year{% plural %}{{ years }} years{% endblocktranslate %}{% endif %}{% endif %}{% endwith %}{% if not item.yearly %} · {% translate "once" %}{% endif %}</small></span>
      </div>
      {% row_actions "dates" item %}
    </li>{% endif %}
  {% empty %}<li class="row-empty">{% translate "No birthdays or anniversaries yet." %}</li>
  {% endfor %}"""  # noqa: E501

PREFERENCES = """{% for pref in prefs %}
    {% if editing == pref.pk and section == "preferences" %}<li>{% include "clients/_part_form.html" with section="preferences" part=pref %}</li>{% else %}
    {% preference_row pref %}{% endif %}
    {% endfor %}"""  # noqa: E501

TAGS = {
    "contacts": ("{% contact_rows contact_points %}", CONTACTS, "contact_points", ContactPointForm),
    "household": ("{% household_rows household %}", HOUSEHOLD, "household", RelationForm),
    "dates": ("{% date_rows dates %}", DATES, "dates", ImportantDateForm),
    "preferences": ("{% preference_rows prefs %}", PREFERENCES, "prefs", PreferenceForm),
}

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def a_full_record(concierge):
    """A client with a row of every kind in each section, and words that need escaping."""
    client = ClientFactory(primary_concierge=concierge)
    today = NOW.date()
    for kind, value, preferred, label, best in [
        ("phone", "+33 6 12 34 56 78", True, "Mobile <perso>", "after 6 pm"),
        ("email", "eloise.d-harcourt@very-long-domain.example.com", False, "", ""),
        ("messaging", "+44 7700 900123", False, "WhatsApp", ""),
        ("address", "12 rue de l'Université & co", False, "", "mornings"),
    ]:
        ContactPointFactory(
            client=client,
            kind=kind,
            value=value,
            preferred=preferred,
            label=label,
            best_times=best,
        )
    spouse = Relation.objects.create(
        client=client,
        kind="spouse",
        name="Inès <d'Harcourt>",
        birthday=datetime.date(1980, 6, 2),
        phone="+33 6 00 00 00 01",
        notes='Loves "jazz" & opera',
    )
    Relation.objects.create(client=client, kind="child", name="Élise")
    Relation.objects.create(
        client=client, kind="parent", name="Marc", birthday=today - datetime.timedelta(days=20)
    )
    for kind, date, yearly, label, relation in [
        ("birthday", today.replace(year=1975), True, "", None),  # today, turns 51
        ("birthday", datetime.date(1980, 3, 11), True, "", spouse),  # tomorrow
        ("anniversary", datetime.date(2025, 12, 24), True, "Wedding <1st>", None),  # 1 year
        ("anniversary", datetime.date(2001, 1, 5), True, "", None),  # next year
        ("custom", today + datetime.timedelta(days=400), False, "Gala & ball", None),  # next year
        ("custom", today - datetime.timedelta(days=3), False, "Opening", None),  # past
        ("custom", datetime.date(1850, 4, 1), True, "Founding", None),  # no age before 1900
    ]:
        ImportantDateFactory(
            client=client, kind=kind, date=date, yearly=yearly, label=label, relation=relation
        )
    for n, (kind, relation, by, confirmed) in enumerate(
        [
            ("like", None, concierge, NOW - datetime.timedelta(days=3)),
            ("allergy", spouse, None, NOW - datetime.timedelta(days=400)),  # stale
            ("never", spouse, concierge, NOW - datetime.timedelta(days=200)),
            ("dislike", None, None, NOW - datetime.timedelta(days=800)),  # stale, last year's
        ]
    ):
        PreferenceFactory(
            client=client,
            kind=kind,
            detail=f"Truffes & <caviar> {n}",
            relation=relation,
            captured_by=by,
            captured_at=NOW - datetime.timedelta(days=500 * n),
            last_confirmed_at=confirmed,
        )
    return client


def lists(client) -> dict:
    return {
        "contact_points": profile.contact_points(client),
        "household": profile.household(client),
        "dates": profile.upcoming_dates(client),
        "prefs": profile.preferences(client),
    }


def both(section, context, language):
    tag, loop, _name, _form = TAGS[section]
    with translation.override(language):
        ours = Template(LOAD + tag).render(Context(context))
        theirs = Template(LOAD + loop).render(Context(context))
    return ours, theirs


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("token", ["abc123", None])
@pytest.mark.parametrize("section", TAGS)
@time_machine.travel(NOW, tick=False)
def test_the_tags_give_the_loops_markup(concierge, section, language, token):
    client = a_full_record(concierge)
    context = {"client": client, **lists(client)}
    if token:
        context["csrf_token"] = token
    ours, theirs = both(section, context, language)
    assert ours == theirs
    assert ours.count('<li class="row') == len(context[TAGS[section][2]])


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("section", TAGS)
def test_an_empty_list_says_so_as_the_loop_did(concierge, section, language):
    client = ClientFactory(primary_concierge=concierge)
    context = {"client": client, **lists(client)}
    ours, theirs = both(section, context, language)
    assert ours == theirs


@pytest.mark.parametrize("section", TAGS)
@time_machine.travel(NOW, tick=False)
def test_the_row_being_edited_is_its_form(concierge, section):
    client = a_full_record(concierge)
    context = {"client": client, **lists(client), "csrf_token": "abc123", "section": section}
    rows = context[TAGS[section][2]]
    editing = rows[1]
    context |= {"editing": editing.pk, "form": TAGS[section][3](instance=editing, client=client)}
    ours, theirs = both(section, context, "fr")
    assert ours == theirs
    assert f"/{section}/{editing.pk}/" in ours and 'class="form part-form"' in ours
    # Another section's edit leaves this one's rows alone.
    context["section"] = "elsewhere"
    ours, theirs = both(section, context, "en")
    assert ours == theirs and 'class="form part-form"' not in ours

"""The banner's allergies and nevers, composed in Python (`{% constraint_rows %}`), are the markup
its loop gave, in each language: the client's own or a household member's, critical or not, with
what must be escaped; and the category headings of the preferences keep their labels."""

import pytest
from django.template import Context, Template
from django.utils import translation

from clients import profile
from clients.models import Preference, Relation
from tests.factories import ClientFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

# The loop this tag replaced, as it was.
LOOP = """{% for pref in hard_constraints %}
    <li><strong>{{ pref.get_kind_display }}</strong> · {{ pref.detail }}{% if pref.relation %} <span class="who">({{ pref.relation.name }})</span>{% endif %}{% if pref.severity == "critical" %} <span class="badge badge-danger">{{ pref.get_severity_display }}</span>{% endif %}</li>
  {% endfor %}"""  # noqa: E501


def a_careful_client():
    client = ClientFactory()
    son = Relation.objects.create(client=client, kind="child", name="Léon <d'Harcourt>")
    for kind, severity, relation, category in [
        ("allergy", "critical", None, "dining"),
        ("never", "important", son, "travel"),
        ("allergy", "note", son, "wellness"),
        ("never", "critical", None, "dining"),
        ("like", "critical", None, "gifts"),
    ]:
        PreferenceFactory(
            client=client,
            kind=kind,
            severity=severity,
            relation=relation,
            category=category,
            detail=f'Shellfish & <{kind}> "{severity}"',
        )
    return client


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_tag_gives_the_loops_markup(language):
    prefs = profile.preferences(a_careful_client())
    context = {"hard_constraints": profile.hard_constraints(prefs)}
    with translation.override(language):
        ours = Template("{% load parts %}{% constraint_rows hard_constraints %}").render(
            Context(context)
        )
        theirs = Template(LOOP).render(Context(context))
    assert ours == theirs
    assert ours.count("<li>") == 4
    assert "Léon &lt;d&#x27;Harcourt&gt;" in ours


def test_no_constraint_writes_nothing():
    assert (
        Template("{% load parts %}{% constraint_rows hard_constraints %}").render(
            Context({"hard_constraints": []})
        )
        == ""
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_categories_keep_their_order_and_labels(language):
    prefs = profile.preferences(a_careful_client())
    with translation.override(language):
        groups = profile.preferences_by_category(prefs)
        expected = [
            (str(label), [p for p in prefs if p.category == value])
            for value, label in Preference.Category.choices
            if any(p.category == value for p in prefs)
        ]
    assert groups == expected
    assert [label for label, _prefs in groups][:1] != ["dining"]

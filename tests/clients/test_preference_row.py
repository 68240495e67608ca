"""A preference's row on the profile, composed in Python (`{% preference_row %}`), is the markup the
template gave, in each language: stale or confirmed, someone's or the client's own, captured by a
concierge or imported."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from clients.models import Relation
from tests.factories import ClientFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

# The markup this tag replaced, as it was.
ROW = (
    '<li class="row{% if pref.is_stale %} has-confirm{% endif %}">\n'
    '      <div class="row-main">\n'
    '        <span><span class="kind kind-{{ pref.kind }}">{{ pref.get_kind_display }}</span><strong>{{ pref.detail }}</strong>{% if pref.relation %} <small class="who">({{ pref.relation.name }})</small>{% endif %}\n'
    '        <small>{{ pref.get_source_display }}{% if pref.captured_by %} · {{ pref.captured_by.display_name }}{% endif %} · {{ pref.captured_at|day:"short" }}{% if pref.is_stale %} · <span class="badge badge-warn" title="{% translate \'Not confirmed for over a year\' %}">{% translate "stale" %}</span>{% else %} · {% translate "confirmed" %} {{ pref.last_confirmed_at|day:"short" }}{% endif %}</small></span></div>\n'
    '      <div class="row-actions">\n'
    '        {% if pref.is_stale %}<form class="button-form" method="post" action="{% link \'clients:preference-confirm\' client.pk pref.pk %}" hx-post="{% link \'clients:preference-confirm\' client.pk pref.pk %}" hx-target="#section-preferences" hx-swap="outerHTML">{% csrf_token %}<button class="btn btn-sm">{% translate "Still true" %}</button></form>{% endif %}\n'
    '        {% row_actions "preferences" pref bare=True %}\n'
    "      </div>\n"
    "    </li>"
)

LABELS = (
    '{% load i18n links parts when %}{% translate "Edit" as label_edit %}'
    '{% translate "Delete" as label_delete %}{% translate "Delete this?" as label_delete_confirm %}'
)


def preferences(concierge):
    client = ClientFactory(primary_concierge=concierge)
    spouse = Relation.objects.create(client=client, kind="spouse", name="Inès <d'Harcourt>")
    now = timezone.now()
    made = []
    for n, (relation, by, confirmed) in enumerate(
        [
            (None, concierge, now - datetime.timedelta(days=3)),
            (spouse, None, now - datetime.timedelta(days=400)),  # stale
            (spouse, concierge, now - datetime.timedelta(days=200)),
        ]
    ):
        made.append(
            PreferenceFactory(
                client=client,
                kind=["like", "allergy", "never"][n],
                detail=f"Truffes & <caviar> {n}",
                relation=relation,
                captured_by=by,
                last_confirmed_at=confirmed,
            )
        )
    return client, made


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("token", ["abc123", None])
def test_the_tag_gives_the_templates_markup(concierge, language, token):
    client, made = preferences(concierge)
    assert [pref.is_stale for pref in made] == [False, True, False]
    for pref in made:
        context = {"client": client, "pref": pref}
        if token:
            context["csrf_token"] = token
        with translation.override(language):
            ours = Template(LABELS + "{% preference_row pref %}").render(Context(context))
            theirs = Template(LABELS + ROW).render(Context(context))
        assert ours == theirs

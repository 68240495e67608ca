"""A row's edit and delete buttons, composed in Python (`{% row_actions %}`), are the markup the
included template gave, in each language, with and without their own div."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.factories import ClientFactory, ContactPointFactory, PreferenceFactory

pytestmark = pytest.mark.django_db

# The include this tag replaced, as it was.
INCLUDED = (
    '{% load links %}{% if not bare %}<div class="row-actions">{% endif %}\n'
    '<a class="icon-btn" title="{{ label_edit }}" aria-label="{{ label_edit }}" href="{% link'
    " 'clients:part-edit' client.pk section part.pk %}#section-{{ section }}\" hx-get=\"{% link"
    ' \'clients:part-edit\' client.pk section part.pk %}" hx-target="#section-{{ section }}"'
    ' hx-swap="outerHTML"><svg class="i"><use href="#i-edit"/></svg></a>\n'
    '<form class="button-form" method="post" action="{% link \'clients:part-delete\' client.pk'
    ' section part.pk %}" hx-post="{% link \'clients:part-delete\' client.pk section part.pk %}"'
    ' hx-confirm="{{ label_delete_confirm }}" hx-target="#section-{{ section }}"'
    ' hx-swap="outerHTML">{% csrf_token %}<input type="hidden" name="version"'
    ' value="{{ part.version }}"><button class="icon-btn" title="{{ label_delete }}"'
    ' aria-label="{{ label_delete }}"><svg class="i"><use href="#i-trash"/></svg></button></form>\n'
    "{% if not bare %}</div>{% endif %}\n"
)
LABELS = (
    '{% load i18n %}{% translate "Edit" as label_edit %}{% translate "Delete" as label_delete %}'
    '{% translate "Delete this?" as label_delete_confirm %}'
)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("bare", [False, True])
@pytest.mark.parametrize("token", ["abc123", "NOTPROVIDED", None])
def test_the_tag_gives_the_included_markup(language, bare, token):
    client = ClientFactory()
    parts = {
        "contacts": ContactPointFactory(client=client),
        "preferences": PreferenceFactory(client=client),
    }
    for section, part in parts.items():
        context = {"client": client, "section": section, "part": part, "bare": bare}
        if token:
            context["csrf_token"] = token
        tag = "{% load parts %}{% row_actions section part bare=bare %}"
        with translation.override(language):
            ours = Template(LABELS + tag).render(Context(context))
            theirs = Template(LABELS + INCLUDED).render(Context(context))
        assert ours == theirs
        assert f"/clients/{client.pk}/{section}/{part.pk}/delete/" in ours
        assert ("csrfmiddlewaretoken" in ours) == (token == "abc123")

"""A timeline entry's words and its record button, composed in Python (`{% entry_main %}`,
`{% entry_record %}`), are the markup the template gave, in each language, for every kind of entry."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from clients.timeline import Entry

# The markup these tags replaced, as it was.
MAIN = (
    '<div class="entry-main"><p class="entry-title">{% if entry.url %}<a href="{{ entry.url }}">{{ entry.title }}</a>{% else %}{{ entry.title }}{% endif %}</p>\n'
    '        {% if entry.body %}<p class="entry-body">{{ entry.body|linebreaksbr }}</p>{% endif %}\n'
    "        <small>{{ entry.when|moment }}{% if entry.by %} · {{ entry.by }}{% endif %}</small>"
)
RECORD = '{% if entry.kind == "interaction" %}<button type="button" class="icon-btn entry-record" data-recorder-open="note" data-recorder-interaction="{{ entry.item.pk }}" data-recorder-about="{{ entry.title }}, {{ entry.when|moment }}" aria-controls="recorder" aria-label="{{ label_note_about }}" title="{{ label_note_about }}"><svg class="i" aria-hidden="true"><use href="#i-mic"/></svg></button>{% endif %}'

LOAD = "{% load i18n links parts when %}{% translate 'Voice note about it' as label_note_about %}"


def entries():
    now = timezone.now()
    yield Entry(
        kind="interaction",
        icon="call",
        when=now - datetime.timedelta(hours=3),
        title="Call · <inbound>",
        body="Line one & <b>two</b>\nLine three",
        by="Camille <L>",
        item=SimpleNamespace(pk=42),
    )
    yield Entry(
        kind="request",
        icon="request",
        when=now - datetime.timedelta(days=500),
        title="Dinner at the Meurice · New request",
        body="",
        by="",
        url="/requests/7/",
    )
    yield Entry(
        kind="interaction",
        icon="email",
        when=now - datetime.timedelta(days=40),
        title="Email · outbound",
        body="",
        by="",
        item=SimpleNamespace(pk=43),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_tags_give_the_templates_markup(language):
    for entry in entries():
        context = {"entry": entry}
        with translation.override(language):
            ours = Template(LOAD + "{% entry_main entry %}|{% entry_record entry %}").render(
                Context(context)
            )
            theirs = Template(LOAD + MAIN + "|" + RECORD).render(Context(context))
        assert ours == theirs

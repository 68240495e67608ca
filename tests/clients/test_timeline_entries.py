"""A page of the timeline, composed in Python (`{% timeline_entries %}`), is the markup the template's
loop gave, in each language: interactions with and without voice notes under them, requests, voice
notes in every transcript state (one about a request, one just saved, one being corrected), and the
empty timeline with and without an earlier page."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from clients.forms import TranscriptForm
from clients.models import VoiceNote
from clients.timeline import timeline
from requests.models import RequestEvent, RequestVoiceNote
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

LOAD = "{% load entries i18n parts %}{% translate 'Voice note about it' as label_note_about %}"

# The loop this tag replaced, as it was.
LOOP = """{% for entry in entries %}
    <li class="entry entry-{{ entry.kind }}">
      <span class="entry-icon" aria-hidden="true"><svg class="i"><use href="#i-{{ entry.icon }}"/></svg></span>
      {% if entry.kind == "voice" %}{% include "clients/_voice_note.html" with note=entry.item editing_note=editing_note transcript_form=transcript_form conflict=conflict new_note=new_note csrf_token=csrf_token only %}{% else %}
      {% entry_main entry %}
        {% if entry.kind == "interaction" %}
        {% with notes=entry.notes %}{% if notes %}<ul class="entry-notes" aria-label="{% translate 'Voice notes about it' %}">{% for note in notes %}<li>{% include "clients/_voice_note.html" with note=note editing_note=editing_note transcript_form=transcript_form conflict=conflict new_note=new_note csrf_token=csrf_token only %}</li>{% endfor %}</ul>{% endif %}{% endwith %}
        {% endif %}</div>
      {% entry_record entry %}{% endif %}
    </li>
    {% empty %}{% if not next_before %}<li class="row-empty">{% translate "Nothing logged yet. Tap a channel above to log a call in two taps." %}</li>{% endif %}
    {% endfor %}"""  # noqa: E501

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def a_busy_client(concierge):
    client = ClientFactory(primary_concierge=concierge)
    calls = [
        InteractionFactory(
            client=client,
            by=by,
            channel=channel,
            summary=summary,
            occurred_at=NOW - datetime.timedelta(days=days),
        )
        for by, channel, summary, days in [
            (concierge, "call", 'Wants a <quiet> table & "views"\r\nCall back at 6', 1),
            (None, "email", "", 40),
            (concierge, "meeting", "Lunch at l'Ambroisie", 500),
        ]
    ]
    service_request = ServiceRequestFactory(client=client, title="Dinner at <Le Meurice>")
    RequestEvent.objects.create(
        service_request=service_request,
        kind="created",
        by=concierge,
        note="For two & a <dog>",
        at=NOW - datetime.timedelta(days=3),
    )
    notes = []
    for n, (status, text, language, by, call) in enumerate(
        [
            (
                "done",
                "Prefers the <corner> table & 'quiet' room.\nSecond line",
                "en",
                concierge,
                None,
            ),
            ("manual", "", "fr", concierge, None),
            ("failed", "", "en", None, None),
            ("pending", "", "en", concierge, None),
            ("retrying", "", "en", concierge, None),
            ("done", "", "en", concierge, None),
            ("done", "À propos du dîner", "fr", concierge, calls[0]),
            ("failed", "", "en", concierge, calls[0]),
            ("done", "Second call's note", "en", None, calls[2]),
        ]
    ):
        notes.append(
            VoiceNote.objects.create(
                client=client,
                interaction=call,
                purpose="note",
                audio=f"voice/{client.pk}/{n}.webm",
                mime_type="audio/webm",
                duration=4.2 + 61 * n,
                size=100,
                recorded_by=by,
                recorded_at=(call.occurred_at if call else NOW) - datetime.timedelta(hours=n),
                transcript=text,
                transcript_status=status,
                transcript_language=language,
            )
        )
    RequestVoiceNote.objects.create(service_request=service_request, voice_note=notes[0])
    return client, notes


def both(context, language):
    with translation.override(language):
        ours = Template(LOAD + "{% timeline_entries entries %}").render(Context(context))
        theirs = Template(LOAD + LOOP).render(Context(context))
    return ours, theirs


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("token", ["abc123", None])
@time_machine.travel(NOW, tick=False)
def test_the_tag_gives_the_loops_markup(concierge, language, token):
    client, notes = a_busy_client(concierge)
    entries, _next_before = timeline(client)
    assert {entry.kind for entry in entries} == {"interaction", "request", "voice"}
    context = {"client": client, "entries": entries}
    if token:
        context["csrf_token"] = token
    ours, theirs = both(context, language)
    assert ours == theirs
    assert ours.count('class="voice-note"') == len(notes)
    assert "Dinner at &lt;Le Meurice&gt;" in ours


@pytest.mark.parametrize("language", ["en", "fr"])
@time_machine.travel(NOW, tick=False)
def test_a_note_just_saved_or_being_corrected_is_the_templates(concierge, language):
    client, notes = a_busy_client(concierge)
    entries, _next_before = timeline(client)
    context = {"client": client, "entries": entries, "csrf_token": "abc123"}
    for changed in [
        {"new_note": notes[1].pk},
        {"new_note": notes[7].pk},
        {
            "editing_note": notes[0].pk,
            "transcript_form": TranscriptForm(initial={"transcript": notes[0].transcript}),
        },
        {
            "editing_note": notes[6].pk,
            "transcript_form": TranscriptForm(initial={"transcript": notes[6].transcript}),
        },
    ]:
        ours, theirs = both(context | changed, language)
        assert ours == theirs
        assert "data-just-saved" in ours or 'class="form transcript-form"' in ours


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("next_before", [None, NOW])
def test_an_empty_page_is_the_loops(concierge, language, next_before):
    client = ClientFactory(primary_concierge=concierge)
    context = {"client": client, "entries": [], "next_before": next_before}
    ours, theirs = both(context, language)
    assert ours == theirs

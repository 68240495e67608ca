"""The timeline's quick log is cut into blocks rendered once per language ({% memo %}, the client's
id spliced in), around what each request writes: the form's typed values and errors, and the
moment it may not pass. What it writes is the form as the template wrote it, empty or refused, in
each language."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from clients.forms import InteractionForm
from clients.models import Interaction
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

# The form as the profile's template wrote it before.
FORM = """{% load i18n links %}<form id="log-form" class="form log-form" {% if not interaction_form %}hidden{% endif %} hx-post="{% link 'clients:interaction-create' client.pk %}" hx-target="#timeline" hx-swap="outerHTML" method="post" action="{% link 'clients:interaction-create' client.pk %}">
    <input type="hidden" name="channel" value="{{ interaction_form.channel.value|default:'call' }}">
    {% if interaction_form.non_field_errors or interaction_form.channel.errors or interaction_form.direction.errors %}<div class="form-error">{{ interaction_form.non_field_errors }}{{ interaction_form.channel.errors }}{{ interaction_form.direction.errors }}</div>{% endif %}
    <div class="segmented">
      <label><input type="radio" name="direction" value="outbound" checked> {% translate "We reached out" %}</label>
      <label><input type="radio" name="direction" value="inbound"> {% translate "They reached us" %}</label>
    </div>
    <textarea name="summary" class="input" rows="2" placeholder="{% translate 'What was said (optional)' %}">{{ interaction_form.summary.value|default:"" }}</textarea>
    <label class="field log-when{% if interaction_form.occurred_at.errors %} has-error{% endif %}"><span>{% translate "When" %} <small>{% translate "(leave empty for now)" %}</small></span>
      <input type="datetime-local" name="occurred_at" class="input" max="{% now 'Y-m-d\\TH:i' %}" value="{{ interaction_form.occurred_at.value|default:''|slice:':16' }}">{{ interaction_form.occurred_at.errors }}</label>
    <div class="form-actions"><button class="btn btn-primary" type="submit" data-log-save>{% translate "Save" %} <span data-log-label></span></button><button type="button" class="btn btn-quiet" data-log-cancel>{% translate "Cancel" %}</button></div>
  </form>"""  # noqa: E501

NOW = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)

REFUSED = [
    {"channel": "bogus", "direction": "inbound", "summary": "<b>Hi</b> & bye"},
    {"channel": "call", "direction": "sideways", "occurred_at": "not a day"},
    {"channel": "email", "direction": "outbound", "occurred_at": "2030-01-01T10:00"},
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("data", [None, *REFUSED])
@time_machine.travel(NOW, tick=False)
def test_the_log_form_is_the_templates(language, data):
    form = None
    if data is not None:
        form = InteractionForm(data)
        assert not form.is_valid()
    for client in (ClientFactory(), ClientFactory()):
        context = {
            "client": client,
            "entries": [],
            "channels": Interaction.Channel.choices,
            "interaction_form": form,
        }
        with translation.override(language):
            page = get_template("clients/client_detail.html#timeline").render(context)
            before = Template(FORM).render(Context(context))
        assert before in page
        assert f'action="/clients/{client.pk}/interactions/new/"' in before

"""The cards of the portfolio list, composed in Python (`{% client_cards %}`), are the markup the
template's loop gave, in each language, for a manager (with a checkbox) and a concierge."""

import pytest
from django.template import Context, Template
from django.utils import translation

from clients.models import Client, Tag
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

# The markup of a card as the template had it, in the loop of the list.
CARD = (
    '<li class="card client-card{% if not client.primary_concierge_id %} is-unassigned{% endif %}">\n'
    '      {% if assign_form %}<input type="checkbox" class="pick" name="clients" value="{{ client.pk }}" aria-label="{% blocktranslate with name=client.display_name %}Select {{ name }}{% endblocktranslate %}">{% endif %}\n'
    '      {% if client.photo %}<img class="avatar avatar-lg" src="{{ client.photo_url }}" alt="">{% else %}<span class="avatar avatar-lg" aria-hidden="true">{{ client.initials }}</span>{% endif %}\n'
    '      <div class="client-card-body">\n'
    '        <a class="client-card-link" href="{% link \'clients:detail\' client.pk %}">{{ client.display_name }}</a>\n'
    '        {% if client.form_of_address %}<span class="client-card-greeting">{{ client.form_of_address }}</span>{% endif %}\n'
    '        <div class="client-card-meta">\n'
    '          <span class="badge tier-{{ client.tier }}">{{ client.get_tier_display }}</span>\n'
    '          {% if client.primary_concierge %}<span class="client-card-concierge">{% if client.primary_concierge_id == user.pk %}{% translate "You" %}{% else %}{{ client.primary_concierge.display_name }}{% endif %}</span>{% elif user.is_manager %}<span class="badge badge-warn">{% translate "Unassigned" %}</span>{% endif %}\n'
    '          {% for tag in client.tag_list %}<a class="chip chip-xs" href="{{ list_url }}?tag={{ tag.name|urlencode }}">{{ tag.name }}</a>{% endfor %}\n'
    "        </div>\n"
    "      </div>\n"
    '      <span class="client-card-chevron" aria-hidden="true">›</span>\n'
    "    </li>"
)


def cards(concierge, colleague):
    tagged = ClientFactory(
        primary_concierge=concierge, form_of_address="Madame <la> Présidente", first_name="Zoé & Co"
    )
    tagged.tags.add(Tag.objects.create(name="art & vin"), Tag.objects.create(name="Ski/été"))
    photographed = ClientFactory(primary_concierge=colleague, tier=Client.Tier.PRIVATE)
    photographed.photo.name = "photos/face.jpg"
    unassigned = ClientFactory(primary_concierge=None)
    clients = [tagged, photographed, unassigned]
    for client in clients:
        client.tag_list = list(client.tags.all())  # the template read the prefetched tags
        client.tag_names = [tag.name for tag in client.tag_list]
    return clients


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["manager", "concierge"])
def test_the_tag_gives_the_templates_markup(request, language, who, concierge, colleague):
    user = request.getfixturevalue(who)
    context = {
        "clients": cards(concierge, colleague),
        "user": user,
        "assign_form": who == "manager",
        "list_url": "/clients/",
    }
    with translation.override(language):
        ours = Template("{% load cards %}{% client_cards clients %}").render(Context(context))
        theirs = Template(
            "{% load i18n links %}{% for client in clients %}\n    " + CARD + "\n    {% endfor %}"
        ).render(Context(context))
    assert ours == theirs
    assert "is-unassigned" in ours
    assert ours.count("<li ") == 3


def test_no_clients_no_cards(concierge):
    context = Context({"clients": [], "user": concierge, "list_url": "/clients/"})
    assert Template("{% load cards %}{% client_cards clients %}").render(context) == ""

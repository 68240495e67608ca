"""The user's menu is composed in Python once per page (`{% user_menu %}`): it says, byte for byte,
what _user_menu.html said, escaped the same way, for a concierge and a manager, with a team or
none, in each language; a page carries it twice and composes it once."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from tests.conftest import make_user

# The menu as _user_menu.html drew it (included twice by base.html).
TEMPLATE = '{% load i18n %}\n<div class="user-card">\n  <span class="avatar">{{ user.display_name|slice:":1"|upper }}</span>\n  <span class="user-card-text"><strong>{{ user.display_name }}</strong><small>{{ user.get_role_display }}{% if user.team %} · {{ user.team }}{% endif %}</small></span>\n</div>\n<form action="{% url \'language-set\' %}" method="post" class="lang-switch">{% csrf_token %}\n  <input name="next" type="hidden" value="{{ request.get_full_path }}">\n  {% get_current_language as LANGUAGE_CODE %}{% get_available_languages as LANGUAGES %}\n  {% for code, name in LANGUAGES %}<button type="submit" name="language" value="{{ code }}" class="chip{% if code == LANGUAGE_CODE %} is-on{% endif %}" lang="{{ code }}">{{ code|upper }}</button>{% endfor %}\n</form>\n<a class="btn btn-quiet btn-block" href="{% url \'otp-setup\' %}">{% translate "Two-step sign-in" %}</a>\n{% if user.is_manager %}<a class="btn btn-quiet btn-block" href="{% url \'team-sign-in\' %}">{% translate "Team sign-in" %}</a>{% endif %}\n<form action="{% url \'logout\' %}" method="post" data-sign-out>{% csrf_token %}<button type="submit" class="btn btn-quiet btn-block">{% translate "Sign out" %}</button></form>\n'

OLD = engines["django"].from_string(TEMPLATE)
NEW = engines["django"].from_string("{% load menu %}{% user_menu %}")


# Django's {% csrf_token %} says "" with a deprecated call when the token is NOTPROVIDED.
@pytest.mark.filterwarnings("ignore:Calling format_html")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_menu_says_what_the_template_said(team, language):
    people = [
        make_user("owner", team=team, first_name="<b>éloïse</b>", last_name="d'Harcourt & Fils"),
        make_user("nameless"),
        make_user("boss", role="manager", team=team, first_name="Hélène"),
    ]
    team.name = 'Paris <Rive gauche> & "Co"'
    team.save()
    for user in people:
        user.refresh_from_db()
        for path, token in (
            ("/requests/?view=board&client=d'h<", "tok&en"),
            ("/", None),
            ("/agenda/", "NOTPROVIDED"),
        ):
            request = RequestFactory().get(path)
            request.user = user
            context = {"user": user, "request": request, "csrf_token": token}
            with translation.override(language):
                assert NEW.render(context, request) == OLD.render(context, request)


def test_a_page_says_it_twice(client, concierge):
    client.force_login(concierge)
    html = client.get("/requests/").content.decode()
    menu = html[html.index('<div class="user-card">') : html.index("data-sign-out>")]
    assert html.count(menu) == 2 and "Camille Laurent" in menu

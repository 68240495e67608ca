"""The assignee's options and the list/board switch are composed in Python (`display.options_html`,
`display.views_html`): they say, byte for byte, what request_list.html's loop and `views` partial
said, escaped the same way, in each language."""

import pytest
from django.template import engines
from django.utils import translation

from requests.display import options_html, views_html
from requests.listing import RequestFilterForm
from tests.conftest import make_user

# As request_list.html drew them before.
OPTIONS = engines["django"].from_string(
    "{% for value, label in filters.fields.assignee.choices %}"
    '<option value="{{ value }}"{% if filters.cleaned_data.assignee == value %} selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)
VIEWS = engines["django"].from_string(
    """{% load i18n %}
<nav class="rq-views" aria-label="{% translate 'Display' %}">
  <a class="rq-view{% if not is_board %} is-on{% endif %}" href="{{ list_url }}{% if list_query %}?{{ list_query }}{% endif %}"{% if not is_board %} aria-current="page"{% endif %}>{% translate "List" %}</a>
  <a class="rq-view{% if is_board %} is-on{% endif %}" href="{{ list_url }}?{{ board_query }}"{% if is_board %} aria-current="page"{% endif %}>{% translate "Board" %}</a>
</nav>
"""
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_assignees_options_say_what_the_loop_said(concierge, manager, language):
    make_user("odd", team=manager.team, first_name="<Zoé>", last_name='d\'Arc & "co"')
    with translation.override(language):
        for user, choices in ((concierge, ("", "all", "none", "x")), (manager, ("", "me", "x"))):
            for value in (
                *choices,
                *(str(pk) for pk, _ in user.team.members.values_list("pk", "username")),
            ):
                filters = RequestFilterForm({"assignee": value}, user=user)
                drawn = options_html(
                    filters.fields["assignee"].choices, filters.cleaned_data.get("assignee")
                )
                assert drawn == OPTIONS.render({"filters": filters}), (user.username, value)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_switch_says_what_the_partial_said(language):
    with translation.override(language):
        for is_board in (False, True):
            for list_url, list_query, board_query in (
                ("/requests/", "", "view=board"),
                ("/r&q/", "client=d%27h&due=week", "client=<b>&view=board"),
            ):
                context = {
                    "is_board": is_board,
                    "list_url": list_url,
                    "list_query": list_query,
                    "board_query": board_query,
                }
                assert views_html(**context) == VIEWS.render(context)

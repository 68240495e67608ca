"""The board's cards and columns are composed in Python (`display.board_cards`, `board_columns_html`) from the
rows of its query: they say, byte for byte, what request_list.html's dozen nodes per card and per
column said of the same requests read by the ORM (`for_display`), escaped the same way, in each
language."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.template import engines
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from concierge.common.links import link
from requests import listing
from requests.display import board_columns_html
from requests.models import Feedback, ServiceRequest
from requests.views.board import _board_context, _card_steps, _context
from tests.conftest import make_user
from tests.factories import ClientFactory, ServiceRequestFactory
from tests.requests.drawn import for_display

# The card as request_list.html drew it before (the loop's body).
CARD = engines["django"].from_string(
    """{% load i18n %}{% translate "Not acknowledged in time" as late_ack_label %}"""
    """{% translate "Record the feedback to close" as feedback_hint %}
<article class="board-card{% if sr.urgency %} is-{{ sr.urgency }}{% endif %}"{% if sr.steps_html %} draggable="true"{% endif %}>
<a class="board-card-title" href="{{ sr.url }}">{{ sr.title }}</a>
<p class="board-card-client">{{ sr.client.display_name }}</p>
<p class="board-card-meta">{% if sr.pressing %}<span class="prio prio-{{ sr.priority }}">{{ sr.priority_label }}</span> {% endif %}{% if not column.folded %}{{ sr.due_html }}{% endif %}</p>
{% if sr.late_ack %}<p class="rq-late-ack">{{ late_ack_label }}</p>{% endif %}
{% if show_assignee %}<p class="board-card-who">{{ sr.assignee_label }}</p>{% endif %}
{% if sr.steps_html %}{{ sr.steps_html }}{% elif sr.status == "fulfilled" %}
<a class="board-card-hint" href="{{ sr.url }}#feedback">{{ feedback_hint }} ›</a>{% endif %}
</article>
"""
)

# The columns as request_list.html drew them before (the loop over the columns).
COLUMNS = engines["django"].from_string(
    """{% load i18n text %}{% translate "Nothing here" as nothing_label %}{% for column in columns %}
    <section class="board-col board-col-{{ column.status }}{% if column.folded %} is-folded{% endif %}" data-status="{{ column.status }}" aria-label="{{ column.label }}">
      {% if column.folded %}
      <details class="board-fold">
        <summary class="board-col-head"><span class="status status-{{ column.status }}">{{ column.label }}</span><span class="board-count">{{ column.total|capped:column.counted }}</span><span class="board-fold-hint">{% translate "last 30 days" %}</span></summary>
      {% else %}
      <header class="board-col-head"><span class="status status-{{ column.status }}">{{ column.label }}</span><span class="board-count">{{ column.total|capped:column.counted }}</span></header>
      {% endif %}
      <div class="board-cards">
        {% for sr in column.cards %}{{ sr.card_html }}{% empty %}<p class="board-empty">{{ nothing_label }}</p>{% endfor %}
      </div>
      {% if column.more > 0 %}<a class="board-more" href="{{ list_url }}?status={{ column.status }}{% if column_query %}&amp;{{ column_query }}{% endif %}">{% if column.capped %}{% translate "More" %}{% else %}{% blocktranslate count counter=column.more %}+{{ counter }} more{% plural %}+{{ counter }} more{% endblocktranslate %}{% endif %}</a>{% endif %}
      {% if column.folded %}</details>{% endif %}
    </section>
    {% endfor %}"""
)


def drawn_by_the_template(card: listing.Card, column, filters) -> str:
    """What the template drew for this card: the request read by the ORM, its row words set by
    `for_display` and its buttons spliced as the view did."""
    sr = ServiceRequest.objects.select_related("client", "assignee").get(pk=card.pk)
    for_display([sr], user=filters.user)
    marker = link("requests:transition", 0)
    move_query = urlencode({"from": "board", **filters.params()})
    steps = _card_steps(sr.status, hasattr(sr, "feedback"), marker, move_query, get_language())
    own = f'hx-post="{link("requests:transition", sr.pk)}?'
    sr.steps_html = steps and mark_safe(steps.replace(f'hx-post="{marker}?', own))
    return CARD.render({"sr": sr, "column": column, "show_assignee": filters.user.is_manager})


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_card_says_what_the_template_said(concierge, colleague, manager, language):
    client = ClientFactory(
        first_name="<b>Éloïse</b>", last_name="d'Harcourt & Fils", primary_concierge=concierge
    )
    other = ClientFactory(
        preferred_name="Max & <i>co</i>", last_name="", primary_concierge=concierge
    )
    nameless = make_user("nameless", team=concierge.team)
    now = timezone.now()
    for i, status in enumerate(listing.BOARD_STATUSES):
        for priority, due, ack in (
            ("urgent", now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)),
            ("normal", now + dt.timedelta(hours=5), None),
            ("high", None, now + dt.timedelta(hours=1)),
            ("low", now + dt.timedelta(days=400), now - dt.timedelta(days=1)),
        ):
            sr = ServiceRequestFactory(
                client=(client, other)[i % 2],
                title=f'<script>alert("{status}")</script> & "{priority}"',
                status=status,
                priority=priority,
                due_at=due,
                acknowledge_by=ack,
                assignee=(concierge, colleague, None, nameless)[i % 4],
                closed_at=now if status == "closed" else None,
                cancelled_at=now if status == "cancelled" else None,
            )
            if status == "fulfilled" and priority == "urgent":
                Feedback.objects.create(service_request=sr, score=9)
    compared = 0
    with translation.override(language):
        for user in (concierge, manager):
            filters = listing.RequestFilterForm({"assignee": "all"}, user=user)
            context = _context(filters)
            context.update(_board_context(filters, context))
            for column in context["columns"]:
                for card in column.cards:
                    assert card.card_html == drawn_by_the_template(card, column, filters)
                    compared += 1
            # The columns around the cards, as the template's loop drew them (each card safe).
            for column in context["columns"]:
                for card in column.cards:
                    card.card_html = mark_safe(card.card_html)
            assert context["columns_html"] == COLUMNS.render(context)
    assert compared >= 60  # every status, both roles (folded columns hold no undated request)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_column_says_what_the_template_said(concierge, language):
    """Empty, short, with more behind and past the count's cap; folded or not; with and without
    the filters' query; what the loop over the columns drew."""
    statuses = ("new", "in_progress", "fulfilled", "closed", "cancelled", "acknowledged")
    columns = []
    for status, total, cards in zip(
        statuses, (0, 3, 12, 150, 6, 100), (0, 3, 8, 5, 5, 8), strict=True
    ):
        column = listing.Column(status, listing.Status(status).label, total)
        for i in range(cards):
            card = listing.Card()
            card.card_html = mark_safe(f"\n<article>{status} {i} &amp;</article>\n")
            column.cards.append(card)
        columns.append(column)
    with translation.override(language):
        for list_url, column_query in (("/requests/", ""), ("/r&q/", "client=d%27h&due=week")):
            context = {"columns": columns, "list_url": list_url, "column_query": column_query}
            drawn = board_columns_html(columns, list_url=list_url, column_query=column_query)
            assert drawn == COLUMNS.render(context)


def test_a_cards_buttons_are_drawn_once_per_language_and_filters_and_say_each_in_its_own(
    client, concierge
):
    """The buttons of a status are rendered once per process for a language and the page's
    filters: English after French is English again, and each card posts to its own address."""
    mine = ClientFactory(primary_concierge=concierge)
    first, second = (
        ServiceRequestFactory(client=mine, status="new", category="travel", assignee=concierge)
        for _ in range(2)
    )
    client.force_login(concierge)
    for language, acknowledge, confirm in (
        ("en", ">Acknowledge<", "stays in its history"),
        ("fr", ">Prendre en compte<", "Elle restera dans l"),
        ("en", ">Acknowledge<", "stays in its history"),
    ):
        concierge.language = language
        concierge.save(update_fields=["language"])
        for query, kept in (
            ({"view": "board"}, "view=board"),
            ({"view": "board", "category": "travel"}, "category=travel&amp;view=board"),
        ):
            html = client.get("/requests/", query).content.decode()
            assert html.count(acknowledge) == 2 and confirm in html
            for sr in (first, second):
                assert f'hx-post="/requests/{sr.pk}/transition/?from=board&amp;{kept}"' in html

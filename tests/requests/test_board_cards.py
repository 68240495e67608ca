"""A board card is composed in Python (`display.board_cards`), one string per card: it says, byte
for byte, what the template's dozen nodes per card said, escaped the same way, in each language."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone, translation

from requests import listing
from requests.models import Feedback
from requests.views.board import _board_context
from tests.factories import ClientFactory, ServiceRequestFactory

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


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_card_says_what_the_template_said(concierge, colleague, manager, language):
    client = ClientFactory(
        first_name="<b>Éloïse</b>", last_name="d'Harcourt & Fils", primary_concierge=concierge
    )
    now = timezone.now()
    for i, status in enumerate(listing.BOARD_STATUSES):
        for priority, due, ack in (
            ("urgent", now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)),
            ("normal", now + dt.timedelta(hours=5), None),
            ("high", None, now + dt.timedelta(hours=1)),
        ):
            sr = ServiceRequestFactory(
                client=client,
                title=f'<script>alert("{status}")</script> & "{priority}"',
                status=status,
                priority=priority,
                due_at=due,
                acknowledge_by=ack,
                assignee=(concierge, colleague, None)[i % 3],
                closed_at=now if status == "closed" else None,
                cancelled_at=now if status == "cancelled" else None,
            )
            if status == "fulfilled" and priority == "urgent":
                Feedback.objects.create(service_request=sr, score=9)
    compared = 0
    with translation.override(language):
        for user in (concierge, manager):
            filters = listing.RequestFilterForm({"assignee": "all"}, user=user)
            context = _board_context(filters)
            for column in context["columns"]:
                for sr in column.cards:
                    drawn = CARD.render(
                        {"sr": sr, "column": column, "show_assignee": user.is_manager}
                    )
                    assert sr.card_html == drawn
                    compared += 1
    assert compared >= 40  # every status, both roles (folded columns hold no undated request)


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

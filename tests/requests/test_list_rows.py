"""A row of the request list is composed in Python (`display.list_rows`), one string per row: it
says, byte for byte, what the template's dozen nodes per row said of the same request (read from
the model's properties, `for_display`), escaped the same way, in each language."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import timezone, translation

from requests import listing
from requests.display import list_rows
from requests.models import ServiceRequest, Status
from tests.factories import ClientFactory, ServiceRequestFactory
from tests.requests.drawn import for_display

# The row as request_list.html drew it before (the loop's body).
ROW = engines["django"].from_string(
    """{% load i18n %}{% translate "Not acknowledged in time" as late_ack_label %}"""
    '\n    <li class="card rq-row{% if sr.urgency %} is-{{ sr.urgency }}{% endif %}">\n      <div class="rq-row-main">\n        <a class="rq-row-title" href="{{ sr.url }}">{{ sr.title }}</a>\n        <span class="rq-row-client">{{ sr.client.display_name }} <span class="muted">· {{ sr.category_label }}</span></span>\n        {% if sr.late_ack %}<span class="rq-late-ack">{{ late_ack_label }}</span>{% endif %}\n      </div>\n      <span class="rq-cell"><span class="status status-{{ sr.status }}">{{ sr.status_label }}</span></span>\n      <span class="rq-cell"><span class="prio prio-{{ sr.priority }}">{{ sr.priority_label }}</span></span>\n      <span class="rq-cell">{% if sr.is_open %}{{ sr.due_html }}{% elif sr.due_at %}<span class="rq-due muted">{{ sr.due_label }}</span>{% endif %}</span>\n      <span class="rq-cell rq-assignee">{{ sr.assignee_label }}</span>\n    </li>\n    '
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_row_says_what_the_template_said(concierge, colleague, language):
    client = ClientFactory(
        first_name="<b>Éloïse</b>", last_name="d'Harcourt & Fils", primary_concierge=concierge
    )
    now = timezone.now()
    for i, status in enumerate(Status.values):
        for priority, due, ack in (
            ("urgent", now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)),
            ("normal", now + dt.timedelta(hours=5), None),
            ("low", None, now + dt.timedelta(hours=1)),
            ("high", now + dt.timedelta(days=400), None),
        ):
            ServiceRequestFactory(
                client=client,
                title=f'<script>alert("{status}")</script> & "{priority}"',
                status=status,
                priority=priority,
                due_at=due,
                acknowledge_by=ack,
                assignee=(concierge, colleague, None)[i % 3],
            )
    with translation.override(language):
        filters = listing.RequestFilterForm({"assignee": "all"}, user=concierge)
        rows = listing.request_rows(concierge, filters)[0:100]
        list_rows(rows, user=concierge)
        for sr in rows:
            # The same request, read again, as the template drew it from the model's properties.
            (drawn,) = for_display([ServiceRequest.objects.get(pk=sr.pk)], user=concierge)
            assert sr.row_html == ROW.render({"sr": drawn})
    assert len(rows) == 4 * len(Status.values)

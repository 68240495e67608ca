"""What a row of the request list or a card of the board shows, worked out once per page in Python.

Per row, template work was the page's main cost: `get_FOO_display()` rebuilds its choices' dict on
every call, each `{% translate %}` in a loop makes and casts a lazy string, each `{% url %}` walks
the resolver. Here labels come from dicts made once per language and process, words once per page,
and addresses are spliced into one `reverse()` per page.
"""

from functools import lru_cache

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clients.models import Category
from concierge.common.links import link
from concierge.templatetags.when import moment

from .choices import Priority, Status


@lru_cache(maxsize=64)
def _labels(choices, language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def labels(choices) -> dict[str, str]:
    """`{value: label}` of a TextChoices class, in the active language (what `get_FOO_display`
    says; a value outside the choices is shown as itself)."""
    return _labels(choices, get_language())


def for_display(service_requests, *, user):
    """Sets, on each request, what its row or card shows (the list and the board read them)."""
    statuses, priorities, categories = labels(Status), labels(Priority), labels(Category)
    urgencies = {
        "late": (_("Overdue"), " is-overdue"),
        "soon": (_("Due soon"), " is-due-soon"),
        "": ("", ""),
    }
    unassigned, you = _("Unassigned"), _("You")
    no_due_date = format_html('<span class="rq-due muted">{}</span>', _("No due date"))
    for service_request in service_requests:
        service_request.url = link("requests:detail", service_request.pk)
        service_request.status_label = statuses.get(service_request.status, service_request.status)
        service_request.priority_label = priorities.get(
            service_request.priority, service_request.priority
        )
        service_request.category_label = categories.get(
            service_request.category, service_request.category
        )
        # The clock-dependent flags, read once per request.
        service_request.urgency = (
            "late" if service_request.is_overdue else "soon" if service_request.is_due_soon else ""
        )
        service_request.late_ack = service_request.is_unacknowledged_late
        service_request.pressing = service_request.priority in (Priority.URGENT, Priority.HIGH)
        service_request.urgency_label, service_request.due_class = urgencies[
            service_request.urgency
        ]
        service_request.due_label = moment(service_request.due_at)
        # The due chip of an open request (a row's and a card's), whole: it is most of their markup.
        if service_request.due_at is None:
            service_request.due_html = no_due_date
        elif service_request.urgency_label:
            service_request.due_html = format_html(
                '<span class="rq-due{}"><b>{}</b> · {}</span>',
                service_request.due_class,
                service_request.urgency_label,
                service_request.due_label,
            )
        else:
            service_request.due_html = format_html(
                '<span class="rq-due">{}</span>', service_request.due_label
            )
        if service_request.assignee_id is None:
            service_request.assignee_label = unassigned
        elif service_request.assignee_id == user.pk:
            service_request.assignee_label = you
        else:
            service_request.assignee_label = service_request.assignee.display_name
    return service_requests


def board_cards(cards, *, folded: bool, show_assignee: bool) -> None:
    """Sets `card_html` on each card of a board column (after `for_display`, `steps_html` set):
    the card whole, as `request_list.html` drew it with a dozen template nodes per card, composed
    from one string with the words of the page's language. Everything not already safe is escaped.
    """
    late_ack = '<p class="rq-late-ack">{}</p>'.format(
        conditional_escape(_("Not acknowledged in time"))
    )
    hint = conditional_escape(_("Record the feedback to close"))
    for card in cards:
        url = conditional_escape(card.url)
        prio = (
            f'<span class="prio prio-{conditional_escape(card.priority)}">'
            f"{conditional_escape(card.priority_label)}</span> "
            if card.pressing
            else ""
        )
        if card.steps_html:
            steps = card.steps_html
        elif card.status == "fulfilled":
            steps = f'\n<a class="board-card-hint" href="{url}#feedback">{hint} ›</a>'
        else:
            steps = ""
        who = (
            f'<p class="board-card-who">{conditional_escape(card.assignee_label)}</p>'
            if show_assignee
            else ""
        )
        urgency = f" is-{card.urgency}" if card.urgency else ""
        draggable = ' draggable="true"' if card.steps_html else ""
        due = "" if folded else card.due_html
        late = late_ack if card.late_ack else ""
        card.card_html = mark_safe(
            f'\n<article class="board-card{urgency}"{draggable}>\n'
            f'<a class="board-card-title" href="{url}">{conditional_escape(card.title)}</a>\n'
            f'<p class="board-card-client">{conditional_escape(card.client.display_name)}</p>\n'
            f'<p class="board-card-meta">{prio}{due}</p>\n'
            f"{late}\n{who}\n{steps}\n</article>\n"
        )


def list_rows(rows) -> None:
    """Sets `row_html` on each row of the request list (after `for_display`): the row whole, as
    `request_list.html` drew it with a dozen template nodes per row, composed from one string with
    the words of the page's language. Everything not already safe is escaped."""
    late_ack = '<span class="rq-late-ack">{}</span>'.format(
        conditional_escape(_("Not acknowledged in time"))
    )
    for row in rows:
        urgency = f" is-{row.urgency}" if row.urgency else ""
        if row.is_open:
            due = row.due_html
        elif row.due_at:
            due = f'<span class="rq-due muted">{conditional_escape(row.due_label)}</span>'
        else:
            due = ""
        row.row_html = mark_safe(
            f'\n    <li class="card rq-row{urgency}">\n      <div class="rq-row-main">\n'
            f'        <a class="rq-row-title" href="{conditional_escape(row.url)}">'
            f"{conditional_escape(row.title)}</a>\n"
            f'        <span class="rq-row-client">{conditional_escape(row.client.display_name)} '
            f'<span class="muted">· {conditional_escape(row.category_label)}</span></span>\n'
            f"        {late_ack if row.late_ack else ''}\n      </div>\n"
            f'      <span class="rq-cell"><span class="status status-{conditional_escape(row.status)}">'
            f"{conditional_escape(row.status_label)}</span></span>\n"
            f'      <span class="rq-cell"><span class="prio prio-{conditional_escape(row.priority)}">'
            f"{conditional_escape(row.priority_label)}</span></span>\n"
            f'      <span class="rq-cell">{due}</span>\n'
            f'      <span class="rq-cell rq-assignee">{conditional_escape(row.assignee_label)}</span>\n'
            "    </li>\n    "
        )

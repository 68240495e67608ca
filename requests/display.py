"""What a row of the request list or a card of the board shows, worked out once per page in Python.

Per row, template work was the page's main cost: `get_FOO_display()` rebuilds its choices' dict on
every call, each `{% translate %}` in a loop makes and casts a lazy string, each `{% url %}` walks
the resolver. Here labels come from dicts made once per language and process, words once per page,
and addresses are spliced into one `reverse()` per page.
"""

from functools import lru_cache
from html import escape

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clients.models import Category
from concierge.common.links import around, link
from concierge.templatetags.when import moment, moments

from .choices import OPEN_STATUSES, Priority, Status
from .sla import DUE_SOON


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


def board_cards(columns, *, user, steps) -> None:
    """Sets `card_html` on each card (`listing.Card`) of the board's columns: the card whole, as
    request_list.html drew it with a dozen template nodes per card, composed from strings in the
    page's language, every value escaped.

    `steps(status, has_feedback)`: a card's buttons as the parts between which its own address
    (`link("requests:transition", pk)`) goes, empty when it has none.
    """
    now = timezone.now()
    soon = now + DUE_SOON
    moment = moments()
    show_assignee = user.is_manager
    detail, detail_end = (escape(part) for part in around("requests:detail"))
    move, move_end = around("requests:transition")
    priorities = labels(Priority)
    pressing = {
        value: f'<span class="prio prio-{escape(value)}">{escape(priorities[value])}</span> '
        for value in (Priority.URGENT.value, Priority.HIGH.value)
    }
    overdue = f'<span class="rq-due is-overdue"><b>{escape(_("Overdue"))}</b> · '
    due_soon = f'<span class="rq-due is-due-soon"><b>{escape(_("Due soon"))}</b> · '
    no_due_date = f'<span class="rq-due muted">{escape(_("No due date"))}</span>'
    late_ack = f'<p class="rq-late-ack">{escape(_("Not acknowledged in time"))}</p>'
    hint = escape(_("Record the feedback to close"))
    unassigned = f'<p class="board-card-who">{escape(_("Unassigned"))}</p>'
    you = f'<p class="board-card-who">{escape(_("You"))}</p>'
    steps_of = {}
    for column in columns:
        folded = column.folded
        for card in column.cards:
            pk, status, due_at = card.pk, card.status, card.due_at
            url = f"{detail}{pk}{detail_end}"
            urgency = due = ""
            if status in OPEN_STATUSES and due_at is not None:
                urgency = " is-late" if due_at < now else " is-soon" if due_at < soon else ""
            if folded:
                pass
            elif due_at is None:
                due = no_due_date
            elif urgency:
                start = overdue if urgency == " is-late" else due_soon
                due = f"{start}{escape(moment(due_at))}</span>"
            else:
                due = f'<span class="rq-due">{escape(moment(due_at))}</span>'
            parts = steps_of.get(key := (status, card.has_feedback))
            if parts is None:
                parts = steps_of[key] = steps(*key)
            if parts:
                buttons, draggable = f"{move}{pk}{move_end}".join(parts), ' draggable="true"'
            elif status == Status.FULFILLED:
                buttons = f'\n<a class="board-card-hint" href="{url}#feedback">{hint} ›</a>'
                draggable = ""
            else:
                buttons = draggable = ""
            if not show_assignee:
                who = ""
            elif card.assignee_id is None:
                who = unassigned
            elif card.assignee_id == user.pk:
                who = you
            else:
                who = f'<p class="board-card-who">{escape(card.assignee_name)}</p>'
            ack = card.acknowledge_by
            late = late_ack if status == Status.NEW and ack is not None and ack < now else ""
            card.card_html = (
                f'\n<article class="board-card{urgency}"{draggable}>\n'
                f'<a class="board-card-title" href="{url}">{escape(card.title)}</a>\n'
                f'<p class="board-card-client">{escape(card.client_name)}</p>\n'
                f'<p class="board-card-meta">{pressing.get(card.priority, "")}{due}</p>\n'
                f"{late}\n{who}\n{buttons}\n</article>\n"
            )


def board_columns_html(columns, *, list_url: str, column_query: str) -> SafeString:
    """The board's columns around their cards (`board_cards`), as request_list.html drew them with
    a dozen template nodes per column, every value escaped."""
    nothing = f'<p class="board-empty">{escape(_("Nothing here"))}</p>'
    last_30_days = escape(_("last 30 days"))
    more_of = f"{escape(list_url)}?status="
    more_query = f"&amp;{escape(column_query)}" if column_query else ""
    html = []
    for column in columns:
        folded, capped = column.folded, column.capped
        status, label = escape(column.status), escape(str(column.label))
        count = f"{column.counted}+" if capped else column.total
        head = (
            f'<span class="status status-{status}">{label}</span>'
            f'<span class="board-count">{count}</span>'
        )
        if folded:
            head = (
                '\n      <details class="board-fold">\n'
                f'        <summary class="board-col-head">{head}'
                f'<span class="board-fold-hint">{last_30_days}</span></summary>\n      '
            )
        else:
            head = f'\n      <header class="board-col-head">{head}</header>\n      '
        more = ""
        if (left := column.total - len(column.cards)) > 0:
            words = (
                escape(_("More"))
                if capped
                else ngettext("+%(counter)s more", "+%(counter)s more", left) % {"counter": left}
            )
            more = f'<a class="board-more" href="{more_of}{status}{more_query}">{words}</a>'
        cards = "".join([card.card_html for card in column.cards]) or nothing
        html.append(
            f'\n    <section class="board-col board-col-{status}{" is-folded" if folded else ""}"'
            f' data-status="{status}" aria-label="{label}">\n      {head}\n'
            f'      <div class="board-cards">\n        {cards}\n      </div>\n'
            f"      {more}\n      {'</details>' if folded else ''}\n    </section>\n    "
        )
    return mark_safe("".join(html))


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

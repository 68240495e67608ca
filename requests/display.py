"""What a row of the request list or a card of the board shows, worked out once per page in Python.

Per row, template work was the page's main cost: `get_FOO_display()` rebuilds its choices' dict on
every call, each `{% translate %}` in a loop makes and casts a lazy string, each `{% url %}` walks
the resolver. Here labels come from dicts made once per language and process, words once per page,
and addresses are spliced into one `reverse()` per page. Values are plain strings, escaped by
`markup.esc` (what the template writes, without Django's lazy-string wrappers).
"""

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.models import Category
from concierge.common.choices import labels  # noqa: F401 (read by the views and the timeline)
from concierge.common.links import around
from concierge.common.markup import esc
from concierge.templatetags.when import Dates

from .choices import OPEN_STATUSES, Priority, Status
from .sla import DUE_SOON


class _Dues:
    """A request's urgency and due chip, in the page's words and at the page's moment (the model's
    `is_overdue` and friends read the clock on each call, `moment` the time zone on each date)."""

    def __init__(self):
        self.now = timezone.now()
        self.soon = self.now + DUE_SOON
        self.moment = Dates().moments()
        self.overdue = f'<span class="rq-due is-overdue"><b>{esc(_("Overdue"))}</b> · '
        self.due_soon = f'<span class="rq-due is-due-soon"><b>{esc(_("Due soon"))}</b> · '
        self.no_due_date = f'<span class="rq-due muted">{esc(_("No due date"))}</span>'

    def chip(self, status: str, due_at) -> tuple[str, str]:
        """The row's urgency class (" is-late", " is-soon" for open work) and its due chip."""
        if due_at is None:
            return "", self.no_due_date
        if status in OPEN_STATUSES:
            if due_at < self.now:
                return " is-late", f"{self.overdue}{esc(self.moment(due_at))}</span>"
            if due_at < self.soon:
                return " is-soon", f"{self.due_soon}{esc(self.moment(due_at))}</span>"
        return "", f'<span class="rq-due">{esc(self.moment(due_at))}</span>'


def board_cards(columns, *, user, steps) -> None:
    """Sets `card_html` on each card (`listing.Card`) of the board's columns: the card whole, as
    request_list.html drew it with a dozen template nodes per card, composed from strings in the
    page's language, every value escaped.

    `steps(status, has_feedback)`: a card's buttons as the parts between which its own address
    (`link("requests:transition", pk)`) goes, empty when it has none.
    """
    dues = _Dues()
    now = dues.now
    show_assignee = user.is_manager
    detail, detail_end = (esc(part) for part in around("requests:detail"))
    move, move_end = around("requests:transition")
    priorities = labels(Priority)
    pressing = {
        value: f'<span class="prio prio-{esc(value)}">{esc(priorities[value])}</span> '
        for value in (Priority.URGENT.value, Priority.HIGH.value)
    }
    late_ack = f'<p class="rq-late-ack">{esc(_("Not acknowledged in time"))}</p>'
    hint = esc(_("Record the feedback to close"))
    unassigned = f'<p class="board-card-who">{esc(_("Unassigned"))}</p>'
    you = f'<p class="board-card-who">{esc(_("You"))}</p>'
    steps_of = {}
    for column in columns:
        folded = column.folded
        for card in column.cards:
            pk, status = card.pk, card.status
            url = f"{detail}{pk}{detail_end}"
            # Folded columns (closed, cancelled) show no due date and no urgency.
            urgency, due = ("", "") if folded else dues.chip(status, card.due_at)
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
                who = f'<p class="board-card-who">{esc(card.assignee_name)}</p>'
            ack = card.acknowledge_by
            late = late_ack if status == Status.NEW and ack is not None and ack < now else ""
            card.card_html = (
                f'\n<article class="board-card{urgency}"{draggable}>\n'
                f'<a class="board-card-title" href="{url}">{esc(card.title)}</a>\n'
                f'<p class="board-card-client">{esc(card.client_name)}</p>\n'
                f'<p class="board-card-meta">{pressing.get(card.priority, "")}{due}</p>\n'
                f"{late}\n{who}\n{buttons}\n</article>\n"
            )


def board_columns_html(columns, *, list_url: str, column_query: str) -> SafeString:
    """The board's columns around their cards (`board_cards`), as request_list.html drew them with
    a dozen template nodes per column, every value escaped."""
    nothing = f'<p class="board-empty">{esc(_("Nothing here"))}</p>'
    last_30_days = esc(_("last 30 days"))
    more_of = f"{esc(list_url)}?status="
    more_query = f"&amp;{esc(column_query)}" if column_query else ""
    html = []
    for column in columns:
        folded, capped = column.folded, column.capped
        status, label = esc(column.status), esc(str(column.label))
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
                esc(_("More"))
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


def list_rows(rows, *, user) -> None:
    """Sets `row_html` on each row of the request list (`listing.Card`s): the row whole, as
    `request_list.html` drew it with a dozen template nodes per row, composed from strings in the
    page's language, every value escaped."""
    dues = _Dues()
    now = dues.now
    detail, detail_end = (esc(part) for part in around("requests:detail"))
    statuses, priorities, categories = labels(Status), labels(Priority), labels(Category)
    late_ack = f'<span class="rq-late-ack">{esc(_("Not acknowledged in time"))}</span>'
    unassigned, you = esc(_("Unassigned")), esc(_("You"))
    for row in rows:
        status, priority, due_at = row.status, row.priority, row.due_at
        if status in OPEN_STATUSES:
            urgency, due = dues.chip(status, due_at)
        else:
            urgency = ""
            due = f'<span class="rq-due muted">{esc(dues.moment(due_at))}</span>' if due_at else ""
        if row.assignee_id is None:
            assignee = unassigned
        elif row.assignee_id == user.pk:
            assignee = you
        else:
            assignee = esc(row.assignee_name)
        ack = row.acknowledge_by
        late = late_ack if status == Status.NEW and ack is not None and ack < now else ""
        row.row_html = mark_safe(
            f'\n    <li class="card rq-row{urgency}">\n      <div class="rq-row-main">\n'
            f'        <a class="rq-row-title" href="{detail}{row.pk}{detail_end}">'
            f"{esc(row.title)}</a>\n"
            f'        <span class="rq-row-client">{esc(row.client_name)} '
            f'<span class="muted">· {esc(categories.get(row.category, row.category))}</span>'
            f"</span>\n        {late}\n      </div>\n"
            f'      <span class="rq-cell"><span class="status status-{esc(status)}">'
            f"{esc(statuses.get(status, status))}</span></span>\n"
            f'      <span class="rq-cell"><span class="prio prio-{esc(priority)}">'
            f"{esc(priorities.get(priority, priority))}</span></span>\n"
            f'      <span class="rq-cell">{due}</span>\n'
            f'      <span class="rq-cell rq-assignee">{assignee}</span>\n'
            "    </li>\n    "
        )


def options_html(choices, selected: str | None) -> SafeString:
    """A select's options, the chosen one marked, as the template's loop over them drew them."""
    return mark_safe(
        "".join(
            f'<option value="{esc(str(value))}"{" selected" if value == selected else ""}>'
            f"{esc(str(label))}</option>"
            for value, label in choices
        )
    )


def views_html(*, is_board: bool, list_url: str, list_query: str, board_query: str) -> SafeString:
    """The switch between the list and the board, as request_list.html's `views` partial drew it."""
    url = esc(list_url)
    list_href = f"{url}?{esc(list_query)}" if list_query else url
    current = ' aria-current="page"'
    list_on, list_current = ("", "") if is_board else (" is-on", current)
    board_on, board_current = (" is-on", current) if is_board else ("", "")
    return mark_safe(
        f'\n<nav class="rq-views" aria-label="{esc(_("Display"))}">\n'
        f'  <a class="rq-view{list_on}" href="{list_href}"{list_current}>{esc(_("List"))}</a>\n'
        f'  <a class="rq-view{board_on}" href="{url}?{esc(board_query)}"{board_current}>'
        f"{esc(_('Board'))}</a>\n</nav>\n"
    )

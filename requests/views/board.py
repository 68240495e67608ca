"""The requests page (a list or a board, with the same filters) and the satisfaction figures."""

from functools import lru_cache
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from concierge.common.http import HtmxHttpRequest
from concierge.common.links import link
from concierge.common.paging import CappedPaginator

from ..display import board_cards, board_columns_html, list_rows, options_html, views_html
from ..listing import VIEW_BOARD, RequestFilterForm, board_columns, request_rows
from ..models import OPEN_STATUSES, ServiceRequest, Status
from ..satisfaction import PERIODS, feedback_for, latest_words, period_days, report
from ..workflow import next_steps

PER_PAGE = 25
TEMPLATE = "requests/request_list.html"


def _context(filters: RequestFilterForm, **extra) -> dict:
    params = filters.params()
    list_params = {k: v for k, v in params.items() if k != "view"}
    column_params = {k: v for k, v in list_params.items() if k != "status"}
    list_url = reverse("requests:list")
    return {
        "filters": filters,
        "is_board": filters.is_board,
        "mine_only": filters.mine_only,
        "narrowed": filters.narrowed,
        "base_query": urlencode(params),
        "column_query": urlencode(column_params),
        "list_url": list_url,
        # Composed in Python: the assignee's options and the list/board switch change per request.
        # (An assignee refused by the form leaves every option unselected.)
        "assignee_options": options_html(
            filters.fields["assignee"].choices, filters.cleaned_data.get("assignee")
        ),
        "views_html": views_html(
            is_board=filters.is_board,
            list_url=list_url,
            list_query=urlencode(list_params),
            board_query=urlencode(filters.params(view=VIEW_BOARD, status="")),
        ),
        "nav_section": "requests",
        **extra,
    }


def _board_context(filters: RequestFilterForm, context: dict) -> dict:
    columns = board_columns(filters.user, filters)
    move_query = urlencode({"from": "board", **filters.params()})
    language = get_language()
    marker = link("requests:transition", 0)  # where each card's own address goes (no id 0)

    def steps(status: str, has_feedback: bool) -> list[str]:
        # A card's buttons depend on its status (and feedback) only: rendered once per process,
        # each card's own address put between the parts.
        html = _card_steps(status, has_feedback, marker, move_query, language)
        return html.split(marker) if html else []

    # Each card and column composed in Python (a board carries dozens of cards).
    board_cards(columns, user=filters.user, steps=steps)
    columns_html = board_columns_html(
        columns, list_url=context["list_url"], column_query=context["column_query"]
    )
    open_columns = [column for column in columns if column.status in OPEN_STATUSES]
    # Capped columns count their cap: "more than" that many open.
    open_total = sum(min(column.total, column.counted) for column in open_columns)
    open_capped = any(column.capped for column in open_columns)
    return {
        "columns": columns,
        "columns_html": columns_html,
        "open_total": open_total,
        "open_capped": open_capped,
    }


@lru_cache(maxsize=256)
def _card_steps(status: str, has_feedback: bool, move_url: str, move_query: str, language: str):
    """The buttons of a card; closing waits for the client's feedback, recorded on the request.
    The same for every card of a status, the page's filters and a language: rendered once per
    process (`language` is the active one, in the key only)."""
    steps = [step for step in next_steps(ServiceRequest(status=status)) if not step.needs_reason]
    if not has_feedback:
        steps = [step for step in steps if step.status != Status.CLOSED]
    if not steps:
        return ""
    context = {"steps": steps, "status": status, "move_url": move_url, "move_query": move_query}
    return render_to_string(f"{TEMPLATE}#card-steps", context)


@require_GET
def request_list(request: HtmxHttpRequest):
    filters = RequestFilterForm(request.GET, user=request.user)
    context = _context(filters)
    if filters.is_board:
        context.update(_board_context(filters, context))
    else:
        rows = request_rows(request.user, filters)
        # Never counts the whole history: past a cap, the list says "more than".
        context["page"] = CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        list_rows(context["page"].object_list, user=request.user)
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, f"{TEMPLATE}#results", context)
        params = filters.params()
        if not filters.is_board and context["page"].number > 1:
            params["page"] = context["page"].number
        # The address bar shows the clean query (no empty fields), so it can be shared or reloaded.
        return push_url(response, f"{request.path}?{urlencode(params)}" if params else request.path)
    return render(request, TEMPLATE, context)


def render_board(request: HtmxHttpRequest, *, error: str | None = None):
    """The board partial, with the filters of the page in `request.GET` (answers board moves)."""
    filters = RequestFilterForm(request.GET, user=request.user)
    context = _context(filters, error=error, oob_toasts=True)
    context.update(_board_context(filters, context))
    return render(request, f"{TEMPLATE}#board", context)


@require_GET
def satisfaction(request: HtmxHttpRequest):
    if not request.user.is_manager:
        raise Http404(_("Only managers see the satisfaction figures."))
    days = period_days(request.GET.get("days"))
    feedback = feedback_for(request.user, days=days)
    found = report(feedback, team=request.user.team_id)
    context = {
        "days": days,
        "periods": PERIODS,
        "overall": found.overall,
        "per_concierge": found.per_concierge,
        "per_category": found.per_category,
        "latest": latest_words(feedback),
        "nav_section": "requests",
    }
    return render(request, "requests/satisfaction.html", context)

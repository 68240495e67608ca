"""The requests page (a list or a board, with the same filters) and the satisfaction figures."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from concierge.common.http import HtmxHttpRequest
from concierge.common.paging import CappedPaginator

from ..listing import VIEW_BOARD, RequestFilterForm, board_columns, request_rows, with_urgency
from ..models import OPEN_STATUSES, Status
from ..satisfaction import PERIODS, feedback_for, latest_words, period_days, report
from ..workflow import next_steps

PER_PAGE = 25
TEMPLATE = "requests/request_list.html"


def _context(filters: RequestFilterForm, **extra) -> dict:
    params = filters.params()
    list_params = {k: v for k, v in params.items() if k != "view"}
    column_params = {k: v for k, v in list_params.items() if k != "status"}
    return {
        "filters": filters,
        "is_board": filters.is_board,
        "mine_only": filters.mine_only,
        "narrowed": filters.narrowed,
        "base_query": urlencode(params),
        "list_query": urlencode(list_params),
        "column_query": urlencode(column_params),
        "board_query": urlencode(filters.params(view=VIEW_BOARD, status="")),
        "list_url": reverse("requests:list"),
        "nav_section": "requests",
        **extra,
    }


def _board_context(filters: RequestFilterForm) -> dict:
    columns = board_columns(filters.user, filters)
    # Two addresses per card, built from one reverse each instead of a {% url %} per card.
    detail, move = reverse("requests:detail", args=[0]), reverse("requests:transition", args=[0])
    for column in columns:
        for card in with_urgency(column.cards):
            card.steps = _card_steps(card)
            card.url = detail.replace("/0/", f"/{card.pk}/")
            card.move_url = move.replace("/0/", f"/{card.pk}/")
    open_columns = [column for column in columns if column.status in OPEN_STATUSES]
    # Capped columns count their cap: "more than" that many open.
    open_total = sum(min(column.total, column.counted) for column in open_columns)
    open_capped = any(column.capped for column in open_columns)
    move_query = urlencode({"from": "board", **filters.params()})
    return {
        "columns": columns,
        "open_total": open_total,
        "open_capped": open_capped,
        "move_query": move_query,
    }


def _card_steps(service_request):
    """The buttons of a card; closing waits for the client's feedback, recorded on the request."""
    steps = [step for step in next_steps(service_request) if not step.needs_reason]
    if not hasattr(service_request, "feedback"):
        steps = [step for step in steps if step.status != Status.CLOSED]
    return steps


@require_GET
def request_list(request: HtmxHttpRequest):
    filters = RequestFilterForm(request.GET, user=request.user)
    context = _context(filters)
    if filters.is_board:
        context.update(_board_context(filters))
    else:
        rows = request_rows(request.user, filters)
        # Never counts the whole history: past a cap, the list says "more than".
        context["page"] = CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        with_urgency(context["page"].object_list)
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
    context.update(_board_context(filters))
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

"""The manager's side: the team at a glance, assigning clients (one or many), the handover brief,
absences, and who opened what. Every object is loaded through its scoping function (a 404 for anyone
who may not see it); pages that only a manager uses are a 404 for everyone else."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.forms import AssignForm, BulkAssignForm
from clients.models import AccessLog, Client
from clients.services import access_record
from clients.views.access import client_for_user
from concierge.common.http import HtmxHttpRequest, parse_id, safe_next

from ..accounts.models import Absence, User
from ..reminders.models import Reminder
from ..team.brief import handover_brief
from ..team.dashboard import team_dashboard_cached
from ..team.forms import AbsenceForm
from ..team.services import (
    AssignmentRefused,
    absence_create,
    absence_end,
    clients_move_to_queue,
    clients_reassign,
)

ACCESS_PER_PAGE = 50


def _manager(request) -> User:
    """The signed-in manager of a team; anyone else gets the 404 of a page that does not exist."""
    user = request.user
    if not user.is_manager or user.team_id is None:
        raise Http404
    return user


def _member(manager: User, pk: int) -> User:
    return get_object_or_404(User.objects.filter(team_id=manager.team_id, is_active=True), pk=pk)


def _page(request, template: str, context: dict, fragment: str = "content"):
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#{fragment}"
    return render(request, template, {"nav_section": "team", **context})


def _assign_fields(form) -> list:
    # The action comes from the button pressed; the ticked clients are listed apart.
    return [form["concierge"], form["backup"], form["move_requests"]]


@require_GET
def dashboard(request: HtmxHttpRequest):
    manager = _manager(request)
    return _page(request, "concierge/team.html", {"board": team_dashboard_cached(manager)})


@require_http_methods(["GET", "POST"])
def client_assign(request: HtmxHttpRequest, pk: int):
    """Concierge and backup of one client, or the explicit move to the team's unassigned queue."""
    manager = _manager(request)
    client = client_for_user(manager, pk, with_header=True)
    if request.method == "POST":
        form = AssignForm(request.POST, user=manager, client=client)
        if form.is_valid():
            try:
                if form.cleaned_data["action"] == AssignForm.UNASSIGN:
                    clients_move_to_queue(client_ids=[client.pk], by=manager)
                    messages.success(
                        request,
                        _("%(name)s is in the unassigned queue.") % {"name": client.display_name},
                    )
                else:
                    concierge = form.cleaned_data["concierge"]
                    clients_reassign(
                        client_ids=[client.pk],
                        concierge=concierge,
                        backup=form.cleaned_data["backup"],
                        move_requests=form.cleaned_data["move_requests"],
                        by=manager,
                    )
                    messages.success(
                        request,
                        _("%(name)s is now looked after by %(concierge)s.")
                        % {"name": client.display_name, "concierge": concierge.display_name},
                    )
            except AssignmentRefused as refused:
                form.add_error(None, str(refused))
            else:
                return redirect("clients:detail", client.pk)
    else:
        form = AssignForm(
            user=manager,
            initial={
                "concierge": client.primary_concierge_id,
                "backup": client.backup_concierge_id,
                "move_requests": True,
            },
        )
    return _page(
        request,
        "concierge/client_assign.html",
        {"client": client, "form": form, "assign_fields": _assign_fields(form)},
    )


@require_http_methods(["GET", "POST"])
def clients_bulk_assign(request: HtmxHttpRequest):
    """The clients ticked on the list: a form post that works without JavaScript. A GET (or an
    invalid post) shows the choice again as a whole page."""
    manager = _manager(request)
    data = request.POST if request.method == "POST" else None
    form = BulkAssignForm(data, user=manager, initial={"move_requests": True})
    if request.method == "GET":
        ids = [i for i in request.GET.getlist("clients") if parse_id(i) is not None]
        form.initial["clients"] = ids
    if data is not None and form.is_valid():
        ids = [c.pk for c in form.cleaned_data["clients"]]
        try:
            if form.cleaned_data["action"] == BulkAssignForm.UNASSIGN:
                count = clients_move_to_queue(client_ids=ids, by=manager)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s client moved to the unassigned queue.",
                        "%(count)s clients moved to the unassigned queue.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                concierge = form.cleaned_data["concierge"]
                count = clients_reassign(
                    client_ids=ids,
                    concierge=concierge,
                    backup=form.backup_choice(),
                    move_requests=form.cleaned_data["move_requests"],
                    by=manager,
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)s client is now looked after by %(concierge)s.",
                        "%(count)s clients are now looked after by %(concierge)s.",
                        count,
                    )
                    % {"count": count, "concierge": concierge.display_name},
                )
        except AssignmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            back = safe_next(request, request.POST.get("next"))
            return redirect(back or reverse("clients:list"))
    chosen = Client.objects.visible_to(manager).filter(
        pk__in=[i for i in (form["clients"].value() or []) if parse_id(str(i)) is not None]
    )
    return _page(
        request,
        "concierge/clients_assign.html",
        {
            "form": form,
            "assign_fields": _assign_fields(form),
            "chosen": chosen.select_related("primary_concierge")[:200],
        },
    )


@require_GET
def handover(request: HtmxHttpRequest, pk: int):
    """The handover brief, in the reader's language (the page is read in it)."""
    client = client_for_user(request.user, pk, with_header=True)
    if not request.htmx:
        access_record(user=request.user, client=client, what=AccessLog.What.HANDOVER)
    return _page(request, "concierge/handover.html", {"brief": handover_brief(client)})


@require_GET
def client_access(request: HtmxHttpRequest, pk: int):
    manager = _manager(request)
    client = client_for_user(manager, pk)
    entries = AccessLog.objects.filter(client=client).select_related("user")
    page = Paginator(entries, ACCESS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "concierge/access_log.html", {"client": client, "page": page})


@require_GET
def member_access(request: HtmxHttpRequest, pk: int):
    manager = _manager(request)
    member = _member(manager, pk)
    entries = (
        AccessLog.objects.visible_to(manager).filter(user=member).select_related("client", "user")
    )
    page = Paginator(entries, ACCESS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "concierge/access_log.html", {"member": member, "page": page})


@require_GET
def member_reminders(request: HtmxHttpRequest, pk: int):
    """The reminders behind a concierge's "overdue" figure on the dashboard."""
    manager = _manager(request)
    member = _member(manager, pk)
    now = timezone.now()
    overdue = (
        Reminder.objects.visible_to(manager)
        .live()
        .filter(owner=member, due_at__lt=now, catch_up__isnull=True)
        .exclude(kind__in=[Reminder.Kind.CATCH_UP, Reminder.Kind.HANDOVER])
        .that_matter(now)
        .for_reading()
        .order_by("due_at", "id")[:200]
    )
    return _page(
        request, "concierge/member_reminders.html", {"member": member, "reminders": list(overdue)}
    )


@require_http_methods(["GET", "POST"])
def absences(request: HtmxHttpRequest):
    manager = _manager(request)
    data = request.POST if request.method == "POST" else None
    form = AbsenceForm(data, manager=manager)
    if data is not None and form.is_valid():
        try:
            absence = absence_create(by=manager, **form.cleaned_data)
        except AssignmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(name)s is marked away; their prompts and new requests go to the stand-in.")
                % {"name": absence.user.display_name},
            )
            return redirect("absences")
    now = timezone.now()
    listed = (
        Absence.objects.filter(user__team_id=manager.team_id, ends_at__gt=now)
        .select_related("user", "stand_in")
        .order_by("starts_at")
    )
    return _page(request, "concierge/absences.html", {"form": form, "absences": listed, "now": now})


@require_POST
def absence_end_view(request: HtmxHttpRequest, pk: int):
    manager = _manager(request)
    absence = get_object_or_404(Absence.objects.filter(user__team_id=manager.team_id), pk=pk)
    absence_end(absence=absence, now=timezone.now())
    messages.success(
        request, _("%(name)s is back: everything returns to them.") % {"name": absence.user}
    )
    return redirect("absences")

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients import profile
from concierge.common import compiled
from concierge.common.conflicts import (
    EditConflict,
    conflicting_fields,
    has_choices,
    keep_typed,
    resolve_choices,
)
from concierge.common.links import link

from .. import services
from ..brief import vendor_brief
from ..categories import DetailsForm, detail_items
from ..display import labels
from ..forms import (
    ChecklistForm,
    CommentForm,
    FeedbackForm,
    ServiceRequestForm,
    TransitionForm,
    VendorStageForm,
    VendorUseForm,
    blank_vendor_fields,
)
from ..models import ChecklistItem, RequestEvent, VendorUse, committed_cost
from ..voice import voice_notes_of
from ..workflow import (
    ACTIONS,
    VENDOR_MOVES,
    LooseEnds,
    TransitionError,
    is_read_only,
    next_steps,
    service_request_transition,
)
from .access import request_for_user
from .board import render_board

TEMPLATE = "requests/request_detail.html"


def _context(service_request, **extra):
    prefs = profile.preferences(service_request.client)
    vendor_uses = _with_moves(service_request)
    context = {
        "sr": service_request,
        "client": service_request.client,
        "urls": _addresses(service_request),
        "hard_constraints": profile.hard_constraints(prefs),
        "details": detail_items(service_request),
        "steps": next_steps(service_request),
        "events": _of_request("request-events", _events, service_request),
        "checklist": _with_toggles(service_request),
        "vendor_uses": vendor_uses,
        "total_cost": committed_cost(vendor_uses),
        "read_only": is_read_only(service_request),
        "brief": vendor_brief(service_request, prefs),
        "feedback": getattr(service_request, "feedback", None),
        "comment_form": CommentForm(),
        "checklist_form": ChecklistForm(),
        "feedback_form": FeedbackForm(),
        **voice_context(service_request),
        **extra,
    }
    if "vendor_form" not in context:
        context["vendor_fields"] = blank_vendor_fields(service_request.currency)
    return context


def _addresses(service_request) -> dict[str, str]:
    """The request's own addresses, spliced into patterns reversed once per process."""
    pk = service_request.pk
    return {
        name.replace("-", "_"): link(f"requests:{name}", pk)
        for name in ("detail", "edit", "transition", "comment", "checklist-create", "feedback")
    } | {
        "vendor_create": link("requests:vendor-create", pk),
        "client": link("clients:detail", service_request.client_id),
    }


def _of_request(key: str, build, service_request) -> list:
    """What `build(request=<pk>)` reads of this request, compiled once (see concierge.common.compiled):
    each part of the page is a query of the same shape for every request."""
    return compiled.objects((key,), build, {"request": service_request.pk})


def _events(request):
    return RequestEvent.objects.filter(service_request=request).select_related("by")[:100]


def _checklist(request):
    return ChecklistItem.objects.filter(service_request=request).select_related("done_by")


def _vendor_uses(request):
    return VendorUse.objects.filter(service_request=request).select_related("vendor")


def _with_toggles(service_request):
    checklist = _of_request("request-checklist", _checklist, service_request)
    for item in checklist:
        item.toggle_url = link("requests:checklist-toggle", service_request.pk, item.pk)
    return checklist


def voice_context(service_request, **extra):
    """The request's voice notes and the recorder that adds one about it."""
    return {
        "sr": service_request,
        "client": service_request.client,
        "voice_notes": voice_notes_of(service_request),
        "upload_url": link("requests:voice-upload", service_request.pk),
        "recording_about": service_request.title,
        "voice_max_seconds": settings.VOICE_NOTE_MAX_SECONDS,
        "voice_max_minutes": settings.VOICE_NOTE_MAX_SECONDS // 60,
        "voice_max_bytes": settings.VOICE_NOTE_MAX_BYTES,
        "read_only": is_read_only(service_request),
        **extra,
    }


def _with_moves(service_request):
    uses = _of_request("request-vendor-uses", _vendor_uses, service_request)
    stages = labels(VendorUse.Stage)
    for use in uses:
        use.moves = [(move, stages[move]) for move in VENDOR_MOVES[use.stage]]
        use.stage_label = stages.get(use.stage, use.stage)
        use.stage_url = link("requests:vendor-stage", service_request.pk, use.pk)
        use.delete_url = link("requests:vendor-delete", service_request.pk, use.pk)
        use.vendor_url = link("requests:vendor-edit", use.vendor_id)
    return uses


def _respond(request, pk, **extra):
    """Every action answers with the request's body, so status, steps and events stay in step."""
    service_request = request_for_user(request.user, pk)
    if not request.htmx and extra.get("confirm"):  # the question is a page of its own
        return render(request, TEMPLATE, _context(service_request, **extra))
    if not request.htmx:
        if extra.get("error"):
            messages.error(request, extra["error"])
        return redirect("requests:detail", pk)
    return render(request, f"{TEMPLATE}#body", _context(service_request, oob_toasts=True, **extra))


def request_detail(request, pk):
    service_request = request_for_user(request.user, pk)
    return render(request, TEMPLATE, _context(service_request))


@require_http_methods(["GET", "POST"])
def request_edit(request, pk):
    service_request = request_for_user(request.user, pk)
    user, client = request.user, service_request.client
    conflict = None
    if request.method == "POST":
        data = request.POST
        if has_choices(data):  # choices made on a conflict screen
            for current_form in _current_forms(service_request, user):
                data = resolve_choices(data, current_form=current_form)
        form = ServiceRequestForm(data, instance=service_request, client=client, user=user)
        details = DetailsForm(data, category=data.get("category", service_request.category))
        if form.is_valid() and details.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k not in form.NOT_SAVED}
            try:
                services.service_request_update(
                    service_request=service_request,
                    by=user,
                    version=form.cleaned_data["version"],
                    details=details.details(),
                    **changes,
                )
            except EditConflict as exc:
                # What they saved beside what was typed; the form keeps the typed values.
                conflict = exc
                service_request = request_for_user(user, pk)
                exc.fields = [
                    found
                    for current_form in _current_forms(service_request, user)
                    for found in conflicting_fields(current_form=current_form, data=data)
                ]
                typed = keep_typed(data, version=service_request.version)
                form = ServiceRequestForm(
                    typed, instance=request_for_user(user, pk), client=client, user=user
                )
                details = DetailsForm(typed, category=typed.get("category", ""))
            else:
                messages.success(request, _("Request saved."))
                return redirect("requests:detail", pk)
    else:
        form = ServiceRequestForm(instance=service_request, client=client, user=user)
        details = DetailsForm(initial=service_request.details, category=service_request.category)
    context = {
        "sr": service_request,
        "client": client,
        "form": form,
        "details": details,
        "conflict": conflict,
    }
    return render(request, "requests/request_edit.html", context)


def _current_forms(service_request, user):
    """The edit forms on the saved values: what a conflict compares the typed values with."""
    return [
        ServiceRequestForm(instance=service_request, client=service_request.client, user=user),
        DetailsForm(initial=service_request.details, category=service_request.category),
    ]


@require_POST
def request_transition(request, pk):
    service_request = request_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    error = confirm = None
    if not form.is_valid():
        error = _("Choose what to do next.")
    else:
        try:
            moved = service_request_transition(
                service_request_id=service_request.pk,
                to_status=form.cleaned_data["to"],
                by=request.user,
                expected_status=form.cleaned_data["expected"] or None,
                note=form.cleaned_data["note"],
                confirmed=form.cleaned_data["confirmed"],
            )
        except LooseEnds as exc:
            error = str(exc)
            confirm = {
                "to": exc.to_status,
                "label": ACTIONS[exc.to_status],
                "ends": exc.ends,
                "note": form.cleaned_data["note"],
            }
        except TransitionError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is now %(status)s.")
                % {"title": moved.title, "status": moved.get_status_display().lower()},
            )
    if request.GET.get("from") == "board":
        return render_board(request, error=error)
    if confirm:
        return _respond(request, pk, confirm=confirm)
    return _respond(request, pk, error=error)


@require_POST
def comment_create(request, pk):
    service_request = request_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                service_request=service_request, by=request.user, text=form.cleaned_data["text"]
            )
        except TransitionError as exc:
            return _respond(request, pk, error=str(exc))
        return _respond(request, pk)
    return _respond(request, pk, comment_form=form)


@require_POST
def checklist_create(request, pk):
    service_request = request_for_user(request.user, pk)
    form = ChecklistForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_add(
                service_request=service_request, by=request.user, text=form.cleaned_data["text"]
            )
        except TransitionError as exc:
            return _respond(request, pk, error=str(exc))
        return _respond(request, pk)
    return _respond(request, pk, checklist_form=form)


@require_POST
def checklist_toggle(request, pk, item_pk):
    service_request = request_for_user(request.user, pk)
    item = get_object_or_404(ChecklistItem, pk=item_pk, service_request=service_request)
    try:
        services.checklist_toggle(item=item, by=request.user)
    except TransitionError as exc:
        return _respond(request, pk, error=str(exc))
    return _respond(request, pk)


@require_POST
def vendor_use_create(request, pk):
    service_request = request_for_user(request.user, pk)
    form = VendorUseForm(request.POST, instance=VendorUse(service_request=service_request))
    if form.is_valid():
        try:
            services.vendor_use_save(vendor_use=form.save_vendor(), by=request.user)
        except TransitionError as exc:
            return _respond(request, pk, error=str(exc))
        messages.success(request, _("Vendor added."))
        return _respond(request, pk)
    return _respond(request, pk, vendor_form=form)


@require_POST
def vendor_use_delete(request, pk, use_pk):
    service_request = request_for_user(request.user, pk)
    vendor_use = get_object_or_404(
        VendorUse.objects.select_related("vendor"), pk=use_pk, service_request=service_request
    )
    try:
        services.vendor_use_delete(vendor_use=vendor_use, by=request.user)
    except TransitionError as exc:
        return _respond(request, pk, error=str(exc))
    return _respond(request, pk)


@require_POST
def vendor_use_move(request, pk, use_pk):
    service_request = request_for_user(request.user, pk)
    vendor_use = get_object_or_404(VendorUse, pk=use_pk, service_request=service_request)
    form = VendorStageForm(request.POST)
    if not form.is_valid():
        return _respond(request, pk, error=_("Choose a stage."))
    try:
        moved = services.vendor_use_move(
            vendor_use=vendor_use, stage=form.cleaned_data["stage"], by=request.user
        )
    except TransitionError as exc:
        return _respond(request, pk, error=str(exc))
    messages.success(
        request,
        _("%(vendor)s: %(stage)s.")
        % {"vendor": moved.vendor.name, "stage": moved.get_stage_display().lower()},
    )
    return _respond(request, pk)


@require_POST
def feedback_create(request, pk):
    service_request = request_for_user(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _respond(request, pk, feedback_form=form)
    try:
        services.feedback_record(
            service_request=service_request, by=request.user, **form.cleaned_data
        )
    except TransitionError as exc:
        return _respond(request, pk, error=str(exc))
    messages.success(request, _("Feedback recorded. The request can now be closed."))
    return _respond(request, pk)

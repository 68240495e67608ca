"""The anticipated needs section of the profile: add, edit, delete, and accept or reject what the
learner suggests, in place with htmx (the whole profile without it)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concierge.common.conflicts import EditConflict

from .. import needs as services
from ..forms import NeedForm
from ..models import AnticipatedNeed
from .access import client_for_user
from .profile import TEMPLATE as PROFILE
from .profile import _profile_context

TEMPLATE = "clients/_needs.html"


def _need(client, need_pk) -> AnticipatedNeed:
    visible = AnticipatedNeed.objects.exclude(state=AnticipatedNeed.State.REJECTED)
    return get_object_or_404(visible, pk=need_pk, client=client)


def _render(request, client, **extra):
    """The section for htmx; the whole profile, with the section in the same state, without it."""
    context = {"client": client, "needs": services.needs_for_profile(client), **extra}
    if request.htmx:
        return render(request, TEMPLATE, context)
    return render(request, PROFILE, {**_profile_context(client), **context})


def _done(request, client, message):
    messages.success(request, message)
    if not request.htmx:
        return redirect("clients:detail", client.pk)
    return _render(request, client, oob_toasts=True)


@require_http_methods(["GET", "POST"])
def need_create(request, pk):
    client = client_for_user(request.user, pk)
    if request.method == "POST":
        form = NeedForm(request.POST)
        if form.is_valid():
            services.need_create(client=client, by=request.user, **form.cleaned_data)
            return _done(request, client, _("Anticipated need saved."))
        return _render(request, client, need_form=form, need_editing="new")
    if request.GET.get("cancel"):
        return _render(request, client)
    return _render(request, client, need_form=NeedForm(), need_editing="new")


@require_http_methods(["GET", "POST"])
def need_edit(request, pk, need_pk):
    client = client_for_user(request.user, pk)
    need = _need(client, need_pk)
    if request.method == "POST":
        form = NeedForm(request.POST, instance=need)
        if form.is_valid():
            try:
                services.need_update(need=need, by=request.user, **form.cleaned_data)
            except EditConflict as conflict:
                current = NeedForm(instance=conflict.current)
                return _render(
                    request, client, need_form=current, need_editing=need.pk, conflict=conflict
                )
            return _done(request, client, _("Anticipated need saved."))
        return _render(request, client, need_form=form, need_editing=need.pk)
    return _render(request, client, need_form=NeedForm(instance=need), need_editing=need.pk)


@require_POST
def need_delete(request, pk, need_pk):
    client = client_for_user(request.user, pk)
    services.need_delete(need=_need(client, need_pk), by=request.user)
    return _done(request, client, _("Deleted."))


@require_POST
def need_accept(request, pk, need_pk):
    client = client_for_user(request.user, pk)
    need = services.need_accept(need=_need(client, need_pk), by=request.user)
    return _done(
        request,
        client,
        _("“%(title)s” added: you will be reminded %(days)s days before.")
        % {"title": need.title, "days": need.lead_days},
    )


@require_POST
def need_reject(request, pk, need_pk):
    client = client_for_user(request.user, pk)
    services.need_reject(need=_need(client, need_pk), by=request.user)
    return _done(request, client, _("Suggestion dismissed: it will not be suggested again."))

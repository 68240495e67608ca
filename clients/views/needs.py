"""The anticipated needs section of the profile: add, edit, delete, and accept or reject what the
learner suggests, in place with htmx (the whole profile without it)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .. import needs as services
from ..models import AnticipatedNeed, Category
from .access import client_for_user
from .profile import TEMPLATE as PROFILE
from .profile import _profile_context

TEMPLATE = "clients/_needs.html"
MAX_LEAD_DAYS = 365
MAX_INTERVAL_DAYS = 3650


class NeedForm(forms.ModelForm):
    title = forms.CharField(
        label=gettext_lazy("What"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. February ski trip")}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=[("", "—"), *Category.choices], required=False
    )
    recurrence = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=[
            (AnticipatedNeed.Recurrence.ONCE, gettext_lazy("One-off")),
            (AnticipatedNeed.Recurrence.YEARLY, gettext_lazy("Every year")),
            (AnticipatedNeed.Recurrence.MONTHLY, gettext_lazy("Every month")),
            (AnticipatedNeed.Recurrence.INTERVAL, gettext_lazy("Every N days")),
        ],
    )
    interval_days = forms.IntegerField(
        label=gettext_lazy("Every (days)"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        help_text=gettext_lazy("Only for “every N days”."),
    )
    next_on = forms.DateField(
        label=gettext_lazy("Next date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lead_days = forms.IntegerField(
        label=gettext_lazy("Remind (days before)"), min_value=0, max_value=MAX_LEAD_DAYS, initial=14
    )

    class Meta:
        model = AnticipatedNeed
        fields = list(services.EDITABLE)

    def clean(self):
        cleaned = super().clean()
        recurrence = cleaned.get("recurrence")
        if recurrence == AnticipatedNeed.Recurrence.INTERVAL:
            if not cleaned.get("interval_days"):
                self.add_error("interval_days", _("Say every how many days."))
        else:
            cleaned["interval_days"] = None
        next_on = cleaned.get("next_on")
        if (
            recurrence == AnticipatedNeed.Recurrence.ONCE
            and next_on
            and next_on < timezone.localdate()
        ):
            self.add_error("next_on", _("A one-off need is in the future."))
        return cleaned


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
            services.need_update(need=need, by=request.user, **form.cleaned_data)
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

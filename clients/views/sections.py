"""Create, edit and delete the items of a profile's sections in place (contacts, household, dates,
preferences). One partial per section answers every action, with the open form inside it."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from concierge.common.conflicts import (
    EditConflict,
    conflicting_fields,
    has_choices,
    keep_typed,
    resolve_choices,
)

from .. import profile
from ..forms import ContactPointForm, ImportantDateForm, PreferenceForm, RelationForm
from ..models import ContactPoint, ImportantDate, Preference, Relation
from ..services import client_part_delete, client_part_save
from ..services import preference_confirm as confirm
from .access import client_for_user
from .profile import profile_page

TEMPLATE = "clients/client_detail.html"


@dataclass(frozen=True)
class Section:
    model: type
    form: type
    added: str
    context: callable


def _contacts(client):
    return {"contact_points": profile.contact_points(client)}


def _household(client):
    return {"household": profile.household(client)}


def _dates(client):
    return {"dates": profile.upcoming_dates(client)}


def _preferences(client):
    prefs = profile.preferences(client)
    return {
        "preference_groups": profile.preferences_by_category(prefs),
        "hard_constraints": profile.hard_constraints(prefs),
    }


SECTIONS = {
    "contacts": Section(ContactPoint, ContactPointForm, gettext_lazy("Contact saved."), _contacts),
    "household": Section(
        Relation, RelationForm, gettext_lazy("Household member saved."), _household
    ),
    "dates": Section(ImportantDate, ImportantDateForm, gettext_lazy("Date saved."), _dates),
    "preferences": Section(
        Preference, PreferenceForm, gettext_lazy("Preference saved."), _preferences
    ),
}


def _section(name: str) -> Section:
    try:
        return SECTIONS[name]
    except KeyError:
        raise Http404 from None


def _render(request, client, name, **extra):
    if not request.htmx:
        if extra.get("oob_toasts"):  # done: back to the profile (post, redirect, get)
            return redirect("clients:detail", client.pk)
        client = client_for_user(request.user, client.pk, with_header=True)
        return profile_page(request, client, section=name, **extra)
    context = {"client": client, "section": name, **SECTIONS[name].context(client), **extra}
    if name == "household" and extra.get("oob_toasts"):
        # A member's birthday is one of the important dates: that section changes too.
        context.update(_dates(client), oob_dates=True)
    return render(request, f"{TEMPLATE}#section-{name}", context)


def _save(request, client, name, section, part):
    data = request.POST
    if has_choices(data) and part.pk:  # choices made on a conflict screen
        data = resolve_choices(data, current_form=section.form(instance=part, client=client))
    form = section.form(data, instance=part, client=client)
    if not form.is_valid():
        return _render(request, client, name, form=form, editing=part.pk or "new")
    try:
        client_part_save(
            client=client, part=form.instance, version=form.cleaned_data["version"], by=request.user
        )
    except EditConflict as exc:
        # What they saved beside what was typed; the form keeps the typed values.
        exc.fields = conflicting_fields(
            current_form=section.form(instance=exc.current, client=client), data=data
        )
        fresh = type(part).objects.get(pk=part.pk)
        typed = section.form(
            keep_typed(data, version=exc.current.version), instance=fresh, client=client
        )
        return _render(request, client, name, form=typed, editing=part.pk, conflict=exc)
    messages.success(request, str(section.added))
    return _render(request, client, name, oob_toasts=True)


@require_http_methods(["GET", "POST"])
def part_create(request, pk, section):
    client = client_for_user(request.user, pk)
    spec = _section(section)
    if request.method == "POST":
        return _save(request, client, section, spec, spec.model(client=client))
    if request.GET.get("cancel"):
        return _render(request, client, section)
    return _render(request, client, section, form=spec.form(client=client), editing="new")


@require_http_methods(["GET", "POST"])
def part_edit(request, pk, section, part_pk):
    client = client_for_user(request.user, pk)
    spec = _section(section)
    part = get_object_or_404(spec.model, pk=part_pk, client=client)
    if request.method == "POST":
        return _save(request, client, section, spec, part)
    if request.GET.get("cancel"):
        return _render(request, client, section)
    return _render(
        request, client, section, form=spec.form(instance=part, client=client), editing=part.pk
    )


@require_POST
def part_delete(request, pk, section, part_pk):
    client = client_for_user(request.user, pk)
    spec = _section(section)
    part = get_object_or_404(spec.model, pk=part_pk, client=client)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        client_part_delete(client=client, part=part, version=version)
    except EditConflict as exc:
        form = spec.form(instance=exc.current, client=client)
        return _render(request, client, section, form=form, editing=part.pk, conflict=exc)
    messages.success(request, _("Deleted."))
    return _render(request, client, section, oob_toasts=True)


@require_POST
def preference_confirm(request, pk, part_pk):
    client = client_for_user(request.user, pk)
    preference = get_object_or_404(Preference, pk=part_pk, client=client)
    confirm(preference=preference, by=request.user)
    messages.success(request, _("Preference confirmed today."))
    return _render(request, client, "preferences", oob_toasts=True)

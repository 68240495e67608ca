from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concierge.common.conflicts import (
    EditConflict,
    conflicting_fields,
    has_choices,
    keep_typed,
    resolve_choices,
)
from concierge.common.http import parse_cursor

from .. import profile
from ..forms import IdentityForm, InteractionForm
from ..history import client_changes
from ..models import Client, Interaction
from ..models.records import survivor_of
from ..needs import needs_for_profile
from ..services import access_record, client_update, interaction_log
from ..timeline import timeline
from .access import client_for_user

TEMPLATE = "clients/client_detail.html"


def _profile_context(client):
    prefs = profile.preferences(client)
    entries, next_before = timeline(client)
    return {
        "client": client,
        "contact_points": profile.contact_points(client),
        "household": profile.household(client),
        "dates": profile.upcoming_dates(client),
        "needs": needs_for_profile(client),
        "preference_groups": profile.preferences_by_category(prefs),
        "hard_constraints": profile.hard_constraints(prefs),
        "entries": entries,
        "next_before": next_before,
        "channels": Interaction.Channel.choices,
        "voice_max_seconds": settings.VOICE_NOTE_MAX_SECONDS,
        "voice_max_minutes": settings.VOICE_NOTE_MAX_SECONDS // 60,
        "voice_max_bytes": settings.VOICE_NOTE_MAX_BYTES,
    }


def profile_page(request, client, **extra) -> HttpResponse:
    """The whole profile, with a section open or a form shown: what a plain request to one of the
    profile's fragments gets (a new tab, a bookmark, a browser without JavaScript)."""
    return render(request, TEMPLATE, {**_profile_context(client), **extra})


def timeline_fragment(request, client, *, status: int = 200, **extra) -> HttpResponse:
    """The timeline section, fresh from its first page: what htmx swaps in after a new entry."""
    entries, next_before = timeline(client)
    context = {
        "client": client,
        "entries": entries,
        "next_before": next_before,
        "channels": Interaction.Channel.choices,
        **extra,
    }
    return render(request, f"{TEMPLATE}#timeline", context, status=status)


def client_detail(request, pk):
    try:
        client = client_for_user(request.user, pk, with_header=True)
    except Http404:
        # A record merged into another: its old address leads to the survivor, for those who may
        # see the survivor (anyone else gets the same 404 as for a record that never existed).
        survivor = survivor_of(pk)
        if (
            survivor is None
            or not Client.objects.visible_to(request.user).filter(pk=survivor).exists()
        ):
            raise
        return redirect("clients:detail", survivor)
    if not request.htmx:
        access_record(user=request.user, client=client)
    return profile_page(request, client)


@require_http_methods(["GET", "POST"])
def client_identity_edit(request, pk):
    client = client_for_user(request.user, pk, with_header=True)
    conflict = None
    if request.method == "POST":
        data = request.POST
        if has_choices(data):  # choices made on a conflict screen
            data = resolve_choices(
                data, current_form=IdentityForm(instance=client, user=request.user)
            )
        form = IdentityForm(data, request.FILES, instance=client, user=request.user)
        if form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in form.Meta.fields
                if name in form.cleaned_data
            }
            if not changes.get("photo"):
                changes.pop("photo", None)
            try:
                client = client_update(
                    client=client,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    tags=form.tags(),
                    **changes,
                )
            except EditConflict as exc:
                # What they saved beside what was typed; the form keeps the typed values.
                conflict = exc
                client = client_for_user(request.user, pk, with_header=True)
                current_form = IdentityForm(instance=client, user=request.user)
                exc.fields = conflicting_fields(current_form=current_form, data=data)
                form = IdentityForm(
                    keep_typed(data, version=client.version),
                    instance=client_for_user(request.user, pk),
                    user=request.user,
                )
            else:
                messages.success(request, _("Profile saved."))
                if not request.htmx:
                    return redirect("clients:detail", pk)
                client = client_for_user(request.user, pk, with_header=True)
                return render(request, f"{TEMPLATE}#header", {"client": client, "oob_toasts": True})
    else:
        form = IdentityForm(instance=client, user=request.user)
    if not request.htmx:
        return profile_page(request, client, identity_form=form, conflict=conflict)
    return render(
        request, f"{TEMPLATE}#identity-form", {"client": client, "form": form, "conflict": conflict}
    )


def client_timeline(request, pk):
    client = client_for_user(request.user, pk)
    try:
        before = parse_cursor(request.GET.get("before"))
    except ValueError:
        return HttpResponseBadRequest(_("This link to older entries is not valid."))
    entries, next_before = timeline(client, before=before)
    if not request.htmx:
        return profile_page(request, client, entries=entries, next_before=next_before)
    return render(
        request,
        f"{TEMPLATE}#timeline-page",
        {"client": client, "entries": entries, "next_before": next_before},
    )


def client_history(request, pk):
    client = client_for_user(request.user, pk, with_header=not request.htmx)
    history = {
        "changes": client_changes(client),
        "merges": client.merges.select_related("merged_by"),
    }
    if not request.htmx:
        return profile_page(request, client, **history)
    return render(request, f"{TEMPLATE}#history", {"client": client, **history})


@require_POST
def interaction_create(request, pk):
    client = client_for_user(request.user, pk)
    form = InteractionForm(request.POST)
    if form.is_valid():
        interaction_log(client=client, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(channel)s logged.") % {"channel": form.instance.get_channel_display()}
        )
        if not request.htmx:
            return redirect("clients:detail", pk)
        return timeline_fragment(request, client, oob_toasts=True)
    if not request.htmx:
        return profile_page(
            request, client_for_user(request.user, pk, with_header=True), interaction_form=form
        )
    return timeline_fragment(request, client, interaction_form=form)

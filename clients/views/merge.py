"""Merging a duplicate record into this one: find it, compare side by side, confirm."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from concierge.common.conflicts import EditConflict
from concierge.common.http import HtmxHttpRequest

from .. import merging
from ..duplicates import find_duplicates
from ..models import Client, ContactPoint
from ..search import search_clients
from .access import client_for_user

MAX_CANDIDATES = 20


def client_merge(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    client = client_for_user(request.user, pk)
    if request.method == "POST":
        return _merge(request, client)
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    query = request.GET.get("q", "").strip()
    other = _other(request, request.GET.get("other"), client)
    context = {"client": client, "q": query, "other": other}
    if other is None:
        context["candidates"] = _candidates(request.user, client, query)
    else:
        context["sides"] = [_side(client), _side(other)]
    template = "clients/client_merge.html"
    if request.htmx and request.htmx.target == "merge-candidates":
        template += "#candidates"
    return render(request, template, context)


def _merge(request: HtmxHttpRequest, client: Client) -> HttpResponse:
    other = _other(request, request.POST.get("other"), client, allow_self=True)
    if other is None:
        raise Http404
    try:
        merging.client_merge(
            survivor=client,
            absorbed=other,
            by=request.user,
            survivor_version=_int(request.POST.get("survivor_version")),
            absorbed_version=_int(request.POST.get("absorbed_version")),
        )
    except merging.MergeRefused as refused:
        return _comparison(request, client, other, str(refused), status=400)
    except EditConflict:
        client.refresh_from_db()
        other.refresh_from_db()
        error = _("One of the two records changed while you were comparing them. Check again.")
        return _comparison(request, client, other, error, status=409)
    messages.success(
        request,
        _("%(absorbed)s was merged into %(survivor)s.")
        % {"absorbed": other.display_name, "survivor": client.display_name},
    )
    url = reverse("clients:detail", args=[client.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _comparison(request, client, other, error: str, *, status: int) -> HttpResponse:
    context = {
        "client": client,
        "other": other,
        "q": "",
        "sides": [_side(client), _side(other)],
        "error": error,
    }
    return render(request, "clients/client_merge.html", context, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _other(request, raw, client: Client, *, allow_self: bool = False) -> Client | None:
    """The record chosen to be merged in, loaded through the same scoping: a 404 otherwise."""
    if raw in (None, ""):
        return None
    other_pk = _int(raw)
    if other_pk is None or (other_pk == client.pk and not allow_self):
        raise Http404
    return client_for_user(request.user, other_pk)


def _candidates(user, client: Client, query: str) -> dict:
    others = Client.objects.visible_to(user).exclude(pk=client.pk)
    if query:
        found = list(
            search_clients(others, query).select_related("primary_concierge")[:MAX_CANDIDATES]
        )
        return {"searched": True, "clients": found}
    points = list(client.contact_points.all())
    likely = find_duplicates(
        queryset=others,
        first_name=client.first_name,
        last_name=client.last_name,
        phones=[p.value for p in points if p.kind != ContactPoint.Kind.EMAIL and p.normalized],
        emails=[p.value for p in points if p.kind == ContactPoint.Kind.EMAIL],
    )
    return {"searched": False, "clients": likely}


def _side(client: Client) -> dict:
    return {
        "client": client,
        "contact_points": list(client.contact_points.all()),
        "tags": list(client.tags.all()),
        "counts": [
            (_("Household"), client.relations.count()),
            (_("Important dates"), client.important_dates.count()),
            (_("Preferences"), client.preferences.count()),
            (_("Interactions"), client.interactions.count()),
        ],
    }

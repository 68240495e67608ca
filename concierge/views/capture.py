"""Record, from the bottom navigation: pick a client (today's and recent ones first, then search as
you type), then the capture page of that client (clients.views.capture)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from clients.capture import recent_clients
from clients.models import Client
from clients.search import search_clients
from concierge.common.http import HtmxHttpRequest

from ..agenda.queries import clients_of_today

TEMPLATE = "concierge/record_picker.html"
FOUND = 20


@require_GET
def record_picker(request: HtmxHttpRequest):
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, "nav_section": "record"}
    if query:
        visible = Client.objects.visible_to(request.user)
        context["found"] = list(search_clients(visible, query)[:FOUND])
    else:
        today = clients_of_today(request.user)
        seen = {client.pk for client in today}
        context["today"] = today
        context["recent"] = [c for c in recent_clients(request.user) if c.pk not in seen]
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{TEMPLATE}#picker-results", context)
    return render(request, TEMPLATE, context)

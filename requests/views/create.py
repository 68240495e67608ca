from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clients.models import Client
from clients.search import search_clients
from clients.views.access import client_for_user
from concierge.common.http import parse_id

from ..categories import DetailsForm
from ..forms import ServiceRequestForm
from ..models import Category
from ..services import service_request_create

TEMPLATE = "requests/request_create.html"


@require_http_methods(["GET", "POST"])
def request_create(request):
    client_pk = parse_id(request.GET.get("client") or request.POST.get("client"))
    if client_pk is None:
        return _pick_client(request)
    client = client_for_user(request.user, client_pk)
    if request.method == "POST":
        form = ServiceRequestForm(request.POST, client=client, user=request.user)
        category = request.POST.get("category") or Category.DINING
        details = DetailsForm(request.POST, category=category)
        if form.is_valid() and details.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in form.NOT_SAVED}
            service_request = service_request_create(
                client=client, by=request.user, details=details.details(), **data
            )
            messages.success(request, _("Request created."))
            return redirect("requests:detail", service_request.pk)
    else:
        form = ServiceRequestForm(
            client=client,
            user=request.user,
            initial={"category": request.GET.get("category", Category.DINING)},
        )
        details = DetailsForm(category=form.initial["category"])
    return render(request, TEMPLATE, {"client": client, "form": form, "details": details})


def _pick_client(request):
    query = request.GET.get("q", "").strip()
    clients = search_clients(Client.objects.visible_to(request.user), query)[:12] if query else []
    template = "requests/request_pick_client.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"query": query, "clients": clients})


@require_GET
def request_details_fields(request):
    category = request.GET.get("category", Category.OTHER)
    if category not in Category.values:
        category = Category.OTHER
    typed = {
        k.removeprefix("details-"): v for k, v in request.GET.items() if k.startswith("details-")
    }
    if not request.htmx:  # the new-request page, with this category chosen
        return redirect(f"{reverse('requests:create')}?{request.GET.urlencode()}")
    return render(
        request,
        f"{TEMPLATE}#details-fields",
        {"details": DetailsForm(category=category, initial=typed)},
    )

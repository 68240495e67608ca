from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Client


def client_list(request):
    clients = Client.objects.visible_to(request.user).select_related("primary_concierge")
    page = Paginator(clients, 25).get_page(request.GET.get("page"))
    return render(request, "clients/client_list.html", {"page": page})

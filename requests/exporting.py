"""A client's requests in the readable export of their record (clients/exporting.py asks for it)."""

from django.template.loader import render_to_string

from .models import ServiceRequest


def requests_for_export(client) -> str:
    service_requests = (
        ServiceRequest.objects.filter(client=client)
        .select_related("assignee", "feedback", "on_behalf_of")
        .prefetch_related("events__by", "checklist", "vendor_uses__vendor")
        .order_by("-created_at")
    )
    return render_to_string("requests/_client_export.html", {"requests": service_requests})

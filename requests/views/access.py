from django.shortcuts import get_object_or_404

from ..models import ServiceRequest


def request_for_user(user, pk: int) -> ServiceRequest:
    """The request if `user` may see its client; a 404 otherwise."""
    requests = ServiceRequest.objects.visible_to(user).select_related(
        "client", "assignee", "on_behalf_of", "feedback__recorded_by"
    )
    return get_object_or_404(requests, pk=pk)

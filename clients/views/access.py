from django.shortcuts import get_object_or_404

from ..models import Client


def client_for_user(user, pk: int, *, with_header: bool = False) -> Client:
    """The client if `user` may see it; a 404 otherwise, never a 403 that confirms it exists."""
    clients = Client.objects.visible_to(user)
    if with_header:
        clients = clients.select_related("primary_concierge", "backup_concierge").prefetch_related(
            "tags"
        )
    return get_object_or_404(clients, pk=pk)

from django.shortcuts import get_object_or_404

from ..models import Client


def client_for_user(user, pk: int, *, for_update: bool = False) -> Client:
    """The client if `user` may see it; a 404 otherwise, never a 403 that confirms it exists."""
    return get_object_or_404(Client.objects.visible_to(user), pk=pk)

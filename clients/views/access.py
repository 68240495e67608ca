from django.http import Http404
from django.shortcuts import get_object_or_404

from concierge.common import compiled

from ..models import Client, Tag
from ..models.client import NOBODY, client_access, latest_pronunciation_clip


def client_for_user(user, pk: int, *, with_header: bool = False) -> Client:
    """The client if `user` may see it; a 404 otherwise, never a 403 that confirms it exists."""
    if not with_header:
        return get_object_or_404(Client.objects.visible_to(user), pk=pk)
    return _with_header(user, pk)


def _with_header(user, pk: int) -> Client:
    """The client with what the profile's header shows (concierges, tags, the latest recording of
    the name): two queries built and compiled once per access rule (concierge.common.compiled;
    building them cost more than the database's answer). The rule is the key: whatever it holds,
    its SQL follows."""
    rule = client_access(user)
    if rule is NOBODY:
        raise Http404
    found = compiled.objects(
        ("client-with-header", rule),
        lambda pk: (
            Client.objects.filter(rule, pk=pk)
            .select_related("primary_concierge", "backup_concierge")
            .annotate(pronunciation_clip_id=latest_pronunciation_clip())
        ),
        {"pk": int(pk)},
    )
    if not found:
        raise Http404
    client = found[0]
    tags = Tag.objects.all()  # what `client.tags.all` gives: its rows, read below
    tags._result_cache = compiled.objects(
        ("client-tags",),
        lambda client: Tag.objects.filter(clients__id=client),
        {"client": client.pk},
    )
    tags._prefetch_done = True
    client._prefetched_objects_cache = {"tags": tags}
    return client

from functools import partial

from django.http import Http404

from clients.models import NOBODY, client_access
from concierge.common import compiled

from ..models import ServiceRequest


def _visible(rule, pk):
    return ServiceRequest.objects.filter(rule, pk=pk).select_related(
        "client", "assignee", "on_behalf_of", "feedback__recorded_by"
    )


def request_for_user(user, pk: int) -> ServiceRequest:
    """The request if `user` may see its client; a 404 otherwise (the query compiled once per
    access rule, see concierge.common.compiled)."""
    rule = client_access(user, through="client__")
    if rule is NOBODY:
        raise Http404
    found = compiled.objects(("request-for-user", rule), partial(_visible, rule), {"pk": pk})
    if not found:
        raise Http404
    return found[0]

"""Recording a voice note on a request's page: the profile's recorder, about this request."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clients.views.voice import receive_upload, wants_fragment
from concierge.common.http import HtmxHttpRequest

from ..voice import service_request_voice_note_record
from .access import request_for_user
from .detail import voice_context

TEMPLATE = "requests/request_detail.html"


@require_POST
def voice_note_upload(request: HtmxHttpRequest, pk: int):
    """A recording from the recorder (XMLHttpRequest, for its progress) or the plain file form;
    answers the request's list of voice notes."""
    service_request = request_for_user(request.user, pk)
    back = reverse("requests:detail", args=[service_request.pk])

    def keep(*, client, by, data):  # the client is the request's own
        return service_request_voice_note_record(service_request=service_request, by=by, data=data)

    note, created, refusal = receive_upload(request, service_request.client, back=back, keep=keep)
    if refusal:
        return refusal
    if not wants_fragment(request):
        return redirect(back)
    context = voice_context(service_request, new_note=note.pk, voice_toasts=True)
    return render(request, f"{TEMPLATE}#voice-notes", context, status=201 if created else 200)

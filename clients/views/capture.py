"""Capturing on the phone: the page that records a voice note or takes a quick note about one
client, and the quick note's post (the recording goes to voice.voice_note_upload)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concierge.common.http import HtmxHttpRequest

from .. import profile
from ..capture import quick_note_capture
from ..forms import QuickNoteForm
from .access import client_for_user

TEMPLATE = "clients/client_capture.html"


def _wants_data(request: HtmxHttpRequest) -> bool:
    """The page's script (or its outbox, replaying what was kept offline) rather than a plain form."""
    return bool(request.htmx) or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def capture_page(request, client, *, form=None, status=200) -> HttpResponse:
    context = {
        "client": client,
        "hard_constraints": profile.hard_constraints(profile.preferences(client)),
        "note_form": form or QuickNoteForm(),
        "voice_max_seconds": settings.VOICE_NOTE_MAX_SECONDS,
        "voice_max_minutes": settings.VOICE_NOTE_MAX_SECONDS // 60,
        "voice_max_bytes": settings.VOICE_NOTE_MAX_BYTES,
        "nav_section": "record",
    }
    return render(request, TEMPLATE, context, status=status)


@require_GET
def client_capture(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return capture_page(request, client_for_user(request.user, pk, with_header=True))


@require_POST
def quick_note_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A quick note; the same capture key posted again answers the note kept the first time (200)."""
    client = client_for_user(request.user, pk, with_header=True)
    form = QuickNoteForm(request.POST)
    if not form.is_valid():
        if _wants_data(request):
            errors = [message for errors in form.errors.values() for message in errors]
            return JsonResponse({"errors": errors}, status=400)
        return capture_page(request, client, form=form)
    try:
        note, created = quick_note_capture(
            client=client,
            by=request.user,
            summary=form.cleaned_data["summary"],
            capture_key=form.cleaned_data["capture_key"],
            taken_at=form.cleaned_data["taken_at"],
        )
    except ValidationError as exc:
        if _wants_data(request):
            return JsonResponse({"errors": exc.messages}, status=400)
        form.add_error(None, exc)
        return capture_page(request, client, form=form)
    if _wants_data(request):
        return JsonResponse({"id": note.pk, "created": created}, status=201 if created else 200)
    messages.success(request, _("Note saved."))
    return redirect("clients:capture", pk=client.pk)

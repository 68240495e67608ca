"""Voice notes on a client's profile: record (upload), play, correct the transcript, delete; and the
access-checked serving of private files (recordings and photos)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from concierge.common.conflicts import EditConflict
from concierge.common.http import HtmxHttpRequest

from ..capture import voice_note_receive
from ..files import serve_private_file
from ..forms import TranscriptForm, VoiceNoteUploadForm
from ..models import AccessLog, Client, VoiceNote
from ..services import access_record
from ..voice import voice_note_correct, voice_note_delete, voice_note_retry
from .access import client_for_user
from .profile import profile_page, timeline_fragment

TEMPLATE = "clients/client_detail.html"
NOTE = "clients/_voice_note.html"


def _note_for_user(user, pk: int, note_pk: int) -> VoiceNote:
    """The note if its client is visible to `user`; a 404 otherwise."""
    client = client_for_user(user, pk)
    return get_object_or_404(
        VoiceNote.objects.select_related("recorded_by"), pk=note_pk, client=client
    )


def wants_fragment(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def receive_upload(request: HtmxHttpRequest, client: Client, *, back: str, keep=voice_note_receive):
    """The recording posted to a page that records (the profile, a request), kept by `keep` (a
    service with voice_note_receive's signature): (note, created, None) once kept, or
    (None, False, a response that says why it was refused)."""
    form = VoiceNoteUploadForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            note, created = keep(client=client, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if error is None:
        if note.purpose == VoiceNote.Purpose.PRONUNCIATION:
            messages.success(request, _("Pronunciation saved."))
        else:
            messages.success(request, _("Voice note saved."))
        return note, created, None
    if wants_fragment(request):
        refusal = HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    else:
        messages.error(request, error)
        refusal = redirect(back)
    return None, False, refusal


@require_POST
def voice_note_upload(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A recording from the recorder (XMLHttpRequest, for its progress) or the plain file form."""
    client = client_for_user(request.user, pk, with_header=True)
    back = reverse("clients:detail", args=[client.pk])
    note, created, refusal = receive_upload(request, client, back=back)
    if refusal:
        return refusal
    if not wants_fragment(request):
        return redirect(back)
    status = 201 if created else 200
    if request.POST.get("answer") == "toast":
        return render(request, "_oob_toasts.html", {"oob_toasts": True}, status=status)
    if note.purpose == VoiceNote.Purpose.PRONUNCIATION:
        client = client_for_user(request.user, pk, with_header=True)
        return render(
            request, f"{TEMPLATE}#header", {"client": client, "oob_toasts": True}, status=201
        )
    return timeline_fragment(request, client, oob_toasts=True, status=status, new_note=note.pk)


@require_GET
def voice_note_transcript(request: HtmxHttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """The transcript and its state (polled while the transcription runs)."""
    note = _note_for_user(request.user, pk, note_pk)
    if not request.htmx:
        return redirect("clients:detail", pk=pk)
    return render(request, f"{NOTE}#transcript", {"note": note})


@require_http_methods(["GET", "POST"])
def voice_note_transcript_edit(request: HtmxHttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _note_for_user(request.user, pk, note_pk)
    conflict = None
    if request.method == "POST":
        form = TranscriptForm(request.POST)
        if form.is_valid():
            try:
                note = voice_note_correct(
                    note=note,
                    by=request.user,
                    transcript=form.cleaned_data["transcript"],
                    version=form.cleaned_data["version"],
                )
            except EditConflict as exc:
                conflict = exc
                note = exc.current
                form = TranscriptForm(
                    initial={"transcript": note.transcript, "version": note.version}
                )
            else:
                if not request.htmx:
                    return redirect("clients:detail", pk=pk)
                messages.success(request, _("Transcript saved."))
                return render(request, f"{NOTE}#transcript", {"note": note, "note_toasts": True})
    else:
        form = TranscriptForm(initial={"transcript": note.transcript, "version": note.version})
    if not request.htmx:
        # A new tab or no JavaScript: the whole profile, with this transcript open for editing.
        client = client_for_user(request.user, pk, with_header=True)
        return profile_page(
            request, client, editing_note=note.pk, transcript_form=form, conflict=conflict
        )
    return render(
        request, f"{NOTE}#transcript-form", {"note": note, "form": form, "conflict": conflict}
    )


@require_POST
def voice_note_retry_view(request: HtmxHttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = voice_note_retry(note=_note_for_user(request.user, pk, note_pk))
    if not request.htmx:
        return redirect("clients:detail", pk=pk)
    return render(request, f"{NOTE}#transcript", {"note": note})


@require_POST
def voice_note_delete_view(request: HtmxHttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _note_for_user(request.user, pk, note_pk)
    try:
        voice_note_delete(note=note, version=None)
    except VoiceNote.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Voice note deleted."))
    if not request.htmx:
        return redirect("clients:detail", pk=pk)
    if note.purpose == VoiceNote.Purpose.PRONUNCIATION:
        client = client_for_user(request.user, pk, with_header=True)
        return render(request, f"{TEMPLATE}#header", {"client": client, "oob_toasts": True})
    return render(request, "_oob_toasts.html", {"oob_toasts": True})


@require_GET
def voice_note_audio(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    note = _note_for_user(request.user, pk, note_pk)
    # One row per listening: a player's later range requests are not new openings.
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        access_record(user=request.user, client=note.client, what=AccessLog.What.AUDIO)
    extension = note.audio.name.rsplit(".", 1)[-1]
    return serve_private_file(
        request,
        note.audio.storage,
        note.audio.name,
        content_type=note.mime_type,
        filename=f"voice-note-{note.pk}.{extension}",
    )


@require_GET
def client_photo(request: HttpRequest, pk: int) -> HttpResponse:
    client: Client = client_for_user(request.user, pk)
    if not client.photo:
        raise Http404
    return serve_private_file(request, client.photo.storage, client.photo.name)

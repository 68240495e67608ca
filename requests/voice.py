"""Voice notes recorded about a request: kept by the clients layer, linked here (RequestVoiceNote)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from clients.capture import voice_note_receive
from clients.models import VoiceNote

from .models import RequestVoiceNote, ServiceRequest
from .workflow import TransitionError, check_writable


def service_request_voice_note_link(*, service_request: ServiceRequest, note: VoiceNote) -> None:
    """Say that `note` is about `service_request`; raises ValidationError (and links nothing) for
    a note about another client or already about another request. Call inside a transaction."""
    if note.client_id != service_request.client_id:
        raise ValidationError(
            _("This voice note is about another client: it cannot be about this request.")
        )
    link, _created = RequestVoiceNote.objects.get_or_create(
        voice_note=note, defaults={"service_request": service_request}
    )
    if link.service_request_id != service_request.pk:
        raise ValidationError(_("This voice note is already about another request."))


def service_request_voice_note_record(
    *, service_request: ServiceRequest, by, data: dict
) -> tuple[VoiceNote, bool]:
    """A recording made on the request's page (VoiceNoteUploadForm's cleaned data): kept for its
    client and linked to the request in one transaction; (the note, whether it is new). Raises
    ValidationError with the reason, and keeps nothing (no row, no file), for anything refused."""
    note, created = None, False
    try:
        with transaction.atomic():
            # Locked so that a request closed meanwhile gets nothing new.
            locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
            check_writable(locked)
            note, created = voice_note_receive(client=locked.client, by=by, data=data)
            service_request_voice_note_link(service_request=locked, note=note)
    except TransitionError as exc:
        raise ValidationError(str(exc)) from exc
    except Exception:
        if created:  # the row was rolled back; its file was stored outside the transaction
            note.audio.storage.delete(note.audio.name)
        raise
    return note, created


def voice_note_request(note: VoiceNote) -> tuple[str, str] | None:
    """For the client's timeline: the request a note is about (loaded with the note, see
    VOICE_NOTE_ABOUT in apps.py), as (title, url)."""
    link = getattr(note, "request_link", None)
    if link is None:
        return None
    return link.service_request.title, reverse("requests:detail", args=[link.service_request_id])


def voice_notes_of(service_request: ServiceRequest) -> list[VoiceNote]:
    return list(
        service_request.voice_notes.filter(purpose=VoiceNote.Purpose.NOTE).select_related(
            "recorded_by"
        )
    )

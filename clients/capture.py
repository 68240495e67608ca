"""Captures taken on the phone (a voice note, a quick note), kept once however often they arrive.

The browser makes a key (a UUID) when the capture is taken and sends it with every attempt: a resend
after a lost answer, a second tab, a reload. The unique column decides; a repeated key answers the
object kept the first time. Race-safe: two posts at once both try to insert, the database refuses
the second, which then reads the first.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Client, Interaction, VoiceNote
from .services import interaction_log
from .voice import voice_note_create

# A capture kept on a phone for longer than this is dated when it arrives.
OLDEST_CAPTURE = datetime.timedelta(days=30)


def _kept(model, *, client: Client, capture_key):
    """The object already kept under this key, or None; a key used for another client is refused."""
    kept = model.objects.filter(capture_key=capture_key).first()
    if kept is not None and kept.client_id != client.pk:
        raise ValidationError(_("This capture was already sent for another client."))
    return kept


def taken_when(taken_at: datetime.datetime | None) -> datetime.datetime:
    """When the browser says the capture was taken, within reason (its clock may be wrong)."""
    now = timezone.now()
    if taken_at is None or taken_at > now or taken_at < now - OLDEST_CAPTURE:
        return now
    return taken_at


def quick_note_capture(
    *, client: Client, by, summary: str, capture_key, taken_at=None
) -> tuple[Interaction, bool]:
    """A note written about the client; (the note, whether it is new)."""
    if capture_key is not None and (
        kept := _kept(Interaction, client=client, capture_key=capture_key)
    ):
        return kept, False
    try:
        with transaction.atomic():
            note = interaction_log(
                client=client,
                by=by,
                channel=Interaction.Channel.NOTE,
                direction=Interaction.Direction.OUTBOUND,
                summary=summary.strip(),
                occurred_at=taken_when(taken_at),
                capture_key=capture_key,
            )
    except IntegrityError:
        kept = _kept(Interaction, client=client, capture_key=capture_key) if capture_key else None
        if kept is None:
            raise
        return kept, False
    return note, True


def voice_note_capture(
    *,
    client: Client,
    by,
    upload,
    language: str,
    capture_key,
    taken_at=None,
    interaction: Interaction | None = None,
) -> tuple[VoiceNote, bool]:
    """A recording about the client; (the note, whether it is new). Raises ValidationError for
    what is not a recording (and keeps nothing)."""
    if capture_key is not None and (
        kept := _kept(VoiceNote, client=client, capture_key=capture_key)
    ):
        return kept, False
    try:
        note = voice_note_create(
            client=client,
            by=by,
            upload=upload,
            language=language,
            interaction=interaction,
            capture_key=capture_key,
            recorded_at=taken_when(taken_at),
        )
    except IntegrityError:
        # voice_note_create removed the file it had stored; the first arrival keeps its own.
        kept = _kept(VoiceNote, client=client, capture_key=capture_key) if capture_key else None
        if kept is None:
            raise
        return kept, False
    return note, True


def voice_note_receive(*, client: Client, by, data: dict) -> tuple[VoiceNote, bool]:
    """What the recorder (or its file form) sent, as VoiceNoteUploadForm cleaned it: kept once per
    capture key, about one of the client's interactions if it names one; (the note, whether it is
    new). The one way in for every page that records (the profile, the phone's capture page, a
    request). Raises ValidationError with the reason, and keeps nothing, for anything refused."""
    interaction = None
    if data.get("interaction"):
        interaction = Interaction.objects.filter(pk=data["interaction"], client=client).first()
        if interaction is None:
            raise ValidationError(
                _("This call or meeting is not on this client's timeline: nothing was saved.")
            )
    if data["purpose"] != VoiceNote.Purpose.NOTE:
        note = voice_note_create(
            client=client,
            by=by,
            upload=data["audio"],
            purpose=data["purpose"],
            language=data["language"],
        )
        return note, True
    # From the phone: a resend of the same recording answers the note kept the first time.
    return voice_note_capture(
        client=client,
        by=by,
        upload=data["audio"],
        language=data["language"],
        capture_key=data.get("capture_key"),
        taken_at=data.get("taken_at"),
        interaction=interaction,
    )


def recent_clients(user, *, limit: int = 6) -> list[Client]:
    """The clients `user` last wrote or recorded something about, most recent first (visible ones)."""
    moments: dict[int, datetime.datetime] = {}
    latest = (
        Interaction.objects.filter(by=user)
        .order_by("-occurred_at", "-id")
        .values_list("client_id", "occurred_at")[: limit * 5],
        VoiceNote.objects.filter(recorded_by=user, purpose=VoiceNote.Purpose.NOTE)
        .order_by("-recorded_at")
        .values_list("client_id", "recorded_at")[: limit * 5],
    )
    for rows in latest:
        for client_id, moment in rows:
            moments[client_id] = max(moment, moments.get(client_id, moment))
    ids = sorted(moments, key=moments.get, reverse=True)
    found = Client.objects.visible_to(user).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found][:limit]

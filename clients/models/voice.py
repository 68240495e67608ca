"""Voice notes: what a concierge recorded about a client, and the clip of how their name is said."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concierge.common.choices import ChoiceLabels

from ..files import private_storage
from .client import Client, ClientDataQuerySet
from .profile import Interaction


def voice_note_path(note: "VoiceNote", filename: str) -> str:
    # Never the uploaded name: the extension comes from the sniffed type (see clients.audio).
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"voice/{note.client_id}/{uuid.uuid4().hex}.{extension}"


class VoiceNote(ChoiceLabels, models.Model):
    class Purpose(models.TextChoices):
        NOTE = "note", _("Voice note")
        PRONUNCIATION = "pronunciation", _("Pronunciation")

    class TranscriptStatus(models.TextChoices):
        PENDING = "pending", _("Transcribing")
        RETRYING = "retrying", _("Transcription retrying")
        DONE = "done", _("Transcribed")
        FAILED = "failed", _("Transcription failed")
        MANUAL = "manual", _("Waiting for a manual transcript")
        NONE = "none", _("No transcript")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    WAITING = (TranscriptStatus.PENDING, TranscriptStatus.RETRYING)

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="voice_notes")
    # A note can be about one call or meeting; requests link to notes from their own layer.
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voice_notes",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose, default=Purpose.NOTE)
    audio = models.FileField(_("audio"), storage=private_storage, upload_to=voice_note_path)
    mime_type = models.CharField(_("type"), max_length=40)
    duration = models.FloatField(_("duration (seconds)"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    transcript = models.TextField(_("transcript"), blank=True)
    transcript_status = models.CharField(
        _("transcript status"),
        max_length=20,
        choices=TranscriptStatus,
        default=TranscriptStatus.PENDING,
    )
    transcript_language = models.CharField(
        _("language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    transcript_error = models.CharField(max_length=300, blank=True, editable=False)
    transcript_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    transcript_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    version = models.PositiveIntegerField(default=1, editable=False)
    # Made by the browser for a recording: the same recording sent twice is kept once.
    capture_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ClientDataQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "transcript_error",
            "transcript_attempts",
            "transcript_updated_at",
        ]
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("voice note")
        verbose_name_plural = _("voice notes")
        indexes = [models.Index(fields=["client", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.recorded_at:%Y-%m-%d %H:%M}"

    @property
    def is_waiting(self) -> bool:
        return self.transcript_status in self.WAITING

    @property
    def duration_label(self) -> str:
        seconds = max(1, int(self.duration))  # as players show it: whole seconds elapsed
        return f"{seconds // 60}:{seconds % 60:02d}"

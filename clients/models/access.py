"""Who opened which client's record, audio or export, and when: one cheap row per open."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concierge.common.choices import ChoiceLabels

from .client import Client, ClientDataQuerySet


class AccessLog(ChoiceLabels, models.Model):
    class What(models.TextChoices):
        PROFILE = "profile", _("Profile")
        AUDIO = "audio", _("Audio")
        EXPORT = "export", _("Export")
        HANDOVER = "handover", _("Handover brief")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="access_log")
    what = models.CharField(_("what"), max_length=10, choices=What, default=What.PROFILE)
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ClientDataQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["client", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self):
        return f"{self.user_id} {self.what} {self.client_id} {self.at:%Y-%m-%d %H:%M}"

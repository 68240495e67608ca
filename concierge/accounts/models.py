import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        CONCIERGE = "concierge", _("Concierge")
        MANAGER = "manager", _("Manager")

    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.CONCIERGE)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Paris"
    )
    # The language of everything this user reads (pages, notifications, emails, digest, feed);
    # empty until their first sign-in, which takes it from the browser.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    # The secret in the URL of the private calendar feed; empty when revoked.
    calendar_token = models.CharField(max_length=64, blank=True, default="", db_index=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def reading_language(self) -> str:
        """The language to compose this user's words in (the site's default until they have one)."""
        return self.language or settings.LANGUAGE_CODE

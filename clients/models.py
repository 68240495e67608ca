from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that says which clients a user may see: anything else is a 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_manager:
            if user.team_id is None:
                return self.none()
            return self.filter(
                Q(primary_concierge__team_id=user.team_id)
                | Q(backup_concierge__team_id=user.team_id)
            )
        return self.filter(Q(primary_concierge=user) | Q(backup_concierge=user))


class Client(models.Model):
    class Tier(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        PREMIUM = "premium", _("Premium")
        PRIVATE = "private", _("Private")

    first_name = models.CharField(_("legal first name"), max_length=120)
    last_name = models.CharField(_("legal last name"), max_length=120)
    preferred_name = models.CharField(_("preferred name"), max_length=120, blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier, default=Tier.PREMIUM)
    primary_concierge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concierge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="primary_clients",
    )
    backup_concierge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("backup concierge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backup_clients",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()

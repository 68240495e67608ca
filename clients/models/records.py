"""What stays when records are merged or erased."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .client import Client


class ClientMerge(models.Model):
    """One record folded into another; the absorbed record's fields are kept here."""

    survivor = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="merges")
    absorbed_id = models.PositiveBigIntegerField()
    absorbed_snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict, help_text="how many records of each kind moved")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self):
        return f"#{self.absorbed_id} → #{self.survivor_id}"


class ClientErasure(models.Model):
    """The audit entry kept when a client's personal data is erased on request."""

    client_id_erased = models.PositiveBigIntegerField(_("client number"))
    reference = models.CharField(_("reference"), max_length=60)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return self.reference


class ImportConfirmation(models.Model):
    """A confirmed import preview (its token, hashed): written in the import's own transaction, so a
    second confirmation of the same preview (a double click) waits for the first and is refused,
    and a failed import leaves none behind. The database decides, whatever the cache does."""

    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.token_hash[:12]


def survivor_of(absorbed_id: int, depth: int = 5) -> int | None:
    """The id of the record that absorbed `absorbed_id`, following merges of merges."""
    current, found = absorbed_id, None
    for _step in range(depth):
        survivor = (
            ClientMerge.objects.filter(absorbed_id=current)
            .values_list("survivor_id", flat=True)
            .first()
        )
        if survivor is None:
            break
        current = found = survivor
    return found

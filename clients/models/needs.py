import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concierge.common.choices import ChoiceLabels

from .client import Client, ClientDataQuerySet
from .vocabulary import Category


class AnticipatedNeed(ChoiceLabels, models.Model):
    """Something the client will want, known before they ask: set by hand or learned from history."""

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        YEARLY = "yearly", _("Every year")
        MONTHLY = "monthly", _("Every month")
        INTERVAL = "interval", _("Every few days")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Set by hand")
        LEARNED = "learned", _("Learned from history")

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACTIVE = "active", _("Active")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="anticipated_needs")
    title = models.CharField(_("what"), max_length=200)
    category = models.CharField(_("category"), max_length=20, blank=True, choices=Category)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence, default=Recurrence.YEARLY
    )
    interval_days = models.PositiveSmallIntegerField(_("every (days)"), null=True, blank=True)
    next_on = models.DateField(_("next on"))
    lead_days = models.PositiveSmallIntegerField(_("remind (days before)"), default=14)
    # next_on minus lead_days, kept on save so that the sweep can find what is due with an index.
    remind_on = models.DateField(editable=False, db_index=True)
    source = models.CharField(max_length=10, choices=Source, default=Source.MANUAL)
    state = models.CharField(max_length=10, choices=State, default=State.ACTIVE)
    # For learned needs: what in the history suggested it, and a key so it is suggested once.
    evidence = models.JSONField(default=dict, blank=True)
    learned_key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every save (the learner's and the sweep's too): a form opened before is stale.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(
        excluded_fields=["remind_on", "evidence", "learned_key", "created_at", "version"]
    )
    objects = ClientDataQuerySet.as_manager()

    class Meta:
        ordering = ["next_on", "id"]
        verbose_name = _("anticipated need")
        verbose_name_plural = _("anticipated needs")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "learned_key"],
                condition=~models.Q(learned_key=""),
                name="one_suggestion_per_pattern",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.remind_on = self.next_on - datetime.timedelta(days=self.lead_days)
        if kwargs.get("update_fields") and "next_on" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "remind_on"}
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields"):
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def following(self, after: datetime.date) -> datetime.date | None:
        """The first occurrence strictly after `after`, or None for a one-off."""
        current = self.next_on
        while current <= after:
            if self.recurrence == self.Recurrence.ONCE:
                return None
            current = self._step(current)
        return current

    def _step(self, day: datetime.date) -> datetime.date:
        if self.recurrence == self.Recurrence.YEARLY:
            year = day.year + 1
            return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))
        if self.recurrence == self.Recurrence.MONTHLY:
            month, year = (day.month % 12) + 1, day.year + (day.month == 12)
            return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        return day + datetime.timedelta(days=self.interval_days or 30)

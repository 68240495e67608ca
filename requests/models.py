from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import NOBODY, Category, Client, Relation, client_access
from concierge.common.choices import ChoiceLabels

from .choices import OPEN_STATUSES, Priority, Status
from .sla import DUE_SOON


class ServiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests of the clients the user may see (the same rule as for clients, as a join)."""
        rule = client_access(user, through="client__")
        return self.none() if rule is NOBODY else self.filter(rule)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class ServiceRequest(ChoiceLabels, models.Model):
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="service_requests"
    )
    on_behalf_of = models.ForeignKey(
        Relation,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("When someone of the household asks for the client."),
    )
    title = models.CharField(_("what"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.DINING
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    event_at = models.DateTimeField(_("event date"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    acknowledge_by = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # What was recorded about it; the link is on this side (see RequestVoiceNote).
    voice_notes = models.ManyToManyField(
        "clients.VoiceNote",
        through="RequestVoiceNote",
        related_name="service_requests",
        blank=True,
        verbose_name=_("voice notes"),
    )

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["client", "-created_at"]),
            models.Index(fields=["status", "due_at"]),
            # The request list's capped count ("more than 2,000"), mine: read from the index alone
            # in client order, for the join that checks each client is still mine to see.
            models.Index(fields=["assignee", "client"], name="request_assignee_client"),
            # The request list's first part, open work most urgent first, read in order (mine, and
            # the team's): five open statuses, so the status indexes could not give one order.
            models.Index(
                F("assignee"),
                F("due_at"),
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(status__in=OPEN_STATUSES),
                name="request_open_by_due",
            ),
            models.Index(
                F("due_at"),
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(status__in=OPEN_STATUSES),
                name="request_open_by_due_all",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def is_due_soon(self) -> bool:
        return (
            self.is_open
            and self.due_at is not None
            and not self.is_overdue
            and self.due_at - timezone.now() < DUE_SOON
        )

    @property
    def is_unacknowledged_late(self) -> bool:
        return (
            self.status == Status.NEW
            and self.acknowledge_by is not None
            and self.acknowledge_by < timezone.now()
        )

    @property
    def total_cost(self) -> Decimal:
        return committed_cost(self.vendor_uses.all())


EVENT_ACTIONS = {
    "added": _("added"),
    "changed": _("changed"),
    "removed": _("removed"),
    "done": _("done"),
    "reopened": _("reopened"),
}


class RequestEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        TRANSITION = "transition", _("Status")
        COMMENT = "comment", _("Comment")
        ASSIGNMENT = "assignment", _("Assignment")
        CHECKLIST = "checklist", _("Checklist")
        VENDOR = "vendor", _("Vendor")
        FEEDBACK = "feedback", _("Feedback")
        EDIT = "edit", _("Edit")

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["service_request", "-at"])]

    def __str__(self):
        return f"{self.kind}: {self.from_value} → {self.to_value}"

    def _label(self, value: str) -> str:
        if self.kind == self.Kind.VENDOR and value in VendorUse.Stage.values:
            return str(VendorUse.Stage(value).label)
        if value in Status.values:
            return str(Status(value).label)
        return str(EVENT_ACTIONS.get(value, value))

    @property
    def from_label(self) -> str:
        return self._label(self.from_value)

    @property
    def to_label(self) -> str:
        return self._label(self.to_value)


class ChecklistItem(models.Model):
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="checklist"
    )
    text = models.CharField(_("task"), max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def done(self) -> bool:
        return self.done_at is not None


class Vendor(models.Model):
    class Kind(models.TextChoices):
        RESTAURANT = "restaurant", _("Restaurant")
        HOTEL = "hotel", _("Hotel")
        CHAUFFEUR = "chauffeur", _("Chauffeur")
        AIRLINE = "airline", _("Airline & jets")
        FLORIST = "florist", _("Florist")
        TICKETING = "ticketing", _("Tickets")
        SHOP = "shop", _("Shop")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.RESTAURANT)
    contact_name = models.CharField(_("contact"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The directory is shared by every concierge: a stale form is a conflict, each change kept.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name


class VendorUse(models.Model):
    """A vendor engaged on a request: what for, at what cost, and until when a hold or quote stands."""

    class Stage(models.TextChoices):
        ASKED = "asked", _("Asked")
        QUOTED = "quoted", _("Quoted")
        HELD = "held", _("Held")
        BOOKED = "booked", _("Booked")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="vendor_uses"
    )
    vendor = models.ForeignKey(
        Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="uses"
    )
    what = models.CharField(_("for"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, default=Stage.ASKED)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    expires_at = models.DateTimeField(
        _("hold or quote expires"),
        null=True,
        blank=True,
        help_text=_("A table held until 18:00, a quote valid 48 hours."),
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="vendoruse_cost_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.vendor} ({self.get_stage_display()})"

    @property
    def is_pending_expiry(self) -> bool:
        return self.stage in (self.Stage.QUOTED, self.Stage.HELD) and self.expires_at is not None


def committed_cost(vendor_uses) -> Decimal:
    """What is committed: held or booked, not what was only asked for or quoted."""
    committed = (VendorUse.Stage.HELD, VendorUse.Stage.BOOKED)
    return sum((v.cost or Decimal(0) for v in vendor_uses if v.stage in committed), Decimal(0))


class Feedback(models.Model):
    service_request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="feedback"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    words = models.TextField(_("in the client's words"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=10), name="feedback_score_0_10"
            )
        ]

    def __str__(self):
        return f"{self.score}/10"


class RequestVoiceNote(models.Model):
    """A voice note recorded about a request.

    The link lives on this side because clients never import requests (the layers); the one-to-one
    on the note lets the database keep a note about one request at most.
    """

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="voice_note_links"
    )
    voice_note = models.OneToOneField(
        "clients.VoiceNote", on_delete=models.CASCADE, related_name="request_link"
    )

    class Meta:
        verbose_name = _("voice note about a request")
        verbose_name_plural = _("voice notes about requests")

    def __str__(self):
        return f"{self.service_request_id} · {self.voice_note_id}"

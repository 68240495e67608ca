from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import NOBODY, client_access
from concierge.accounts.models import away_now
from concierge.common.choices import ChoiceLabels
from concierge.common.links import link


class TierPolicy(models.Model):
    """Lead times, contact cadence and service levels per client tier, per team; each team's manager
    edits their own. A row without a team holds the defaults of a team that has none of its own."""

    team = models.ForeignKey(
        "concierge.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tier_policies",
    )
    tier = models.CharField(_("tier"), max_length=20)
    birthday_lead_days = models.PositiveSmallIntegerField(_("birthday lead (days)"), default=14)
    date_lead_days = models.PositiveSmallIntegerField(_("other dates lead (days)"), default=7)
    contact_cadence_days = models.PositiveSmallIntegerField(
        _("call at least every (days)"), default=30
    )
    follow_up_hours = models.PositiveSmallIntegerField(
        _("follow-up after fulfilment (hours)"), default=24
    )
    acknowledge_minutes = models.PositiveIntegerField(
        _("acknowledge within (minutes)"), default=120
    )
    deliver_hours = models.PositiveIntegerField(_("deliver within (hours)"), default=48)
    # Managers edit all tiers in one form: a stale form is a conflict (0: not saved yet).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["team", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["team", "tier"], name="one_policy_per_team_and_tier"),
            models.UniqueConstraint(
                fields=["tier"], condition=models.Q(team__isnull=True), name="one_default_per_tier"
            ),
        ]
        verbose_name = _("tier policy")
        verbose_name_plural = _("tier policies")

    def __str__(self):
        return self.tier


LIVE_STATES = ["open", "snoozed"]


def acting_lists(user_id: int, away: dict[int, int | None]) -> tuple[list[int], list[int]]:
    """Of the colleagues away, those who named `user_id` to stand in, and those who named nobody
    (their clients go to each client's backup)."""
    named = [absent for absent, stand_in in away.items() if stand_in == user_id]
    backups = [absent for absent, stand_in in away.items() if stand_in is None]
    return named, backups


def _acting_for(user, away: dict[int, int | None]) -> Q:
    return acting_q(user, *acting_lists(user.pk, away))


def acting_q(user, named: list[int], backups: list[int]) -> Q:
    """Whose prompts `user` acts on now: their own, those of a colleague away who named them, and
    those of a colleague away without a named stand-in about clients they are the backup of."""
    acting = Q(owner=user)
    if named:
        acting |= Q(owner_id__in=named)
    if backups:
        acting |= Q(owner_id__in=backups, client__backup_concierge=user)
    return acting


def reminder_access(user, at=None, *, about_clients=None):
    """The rule of `ReminderQuerySet.visible_to` as a Q over the reminder: `NOBODY` when the user
    sees none, an empty Q when they see all."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser and user.team_id is None:
        # An operator outside any team; one who belongs to a team works by its rule.
        return Q()
    at = at or timezone.now()
    away = {} if user.is_manager else away_now(at)
    # The client's rule through joins (not `client__in=<every visible client>`), so that the
    # agenda walks its index in due order and checks each row's client by its key.
    rule = client_access(user, at=at, away=away, through="client__")
    if rule is NOBODY:
        return NOBODY
    of_request = client_access(user, at=at, away=away, through="service_request__client__")
    if about_clients is not None:
        about = [pk for pk in about_clients if pk is not None]
        rule &= Q(client_id__in=about)
        of_request &= Q(service_request__client_id__in=about)
    of_client = (
        rule
        | Q(client__isnull=True, service_request__isnull=True)
        | Q(client__isnull=True) & of_request
    )
    if user.is_manager:
        if user.team_id is None:
            return NOBODY
        return of_client & Q(owner__team_id=user.team_id)
    return of_client & _acting_for(user, away)


def actionable_access(user, at=None):
    """The rule of `ReminderQuerySet.actionable_by` as a Q (or `NOBODY`)."""
    rule = reminder_access(user, at)
    if rule is not NOBODY and (user.is_manager or user.is_superuser):
        rule &= Q(owner=user)
    return rule


class ReminderQuerySet(models.QuerySet):
    def visible_to(self, user, at=None, *, about_clients=None):
        """The client's rule (see Client.objects.visible_to), then whose prompt it is: a concierge
        sees their own and those they stand in for now; a manager, their team's; a superuser, all.
        A reminder about a client the user no longer looks after is a 404 like the client.
        `about_clients` (client ids) narrows the rule to the reminders about those clients (or
        about none): lookups by key instead of the user's whole visible set."""
        rule = reminder_access(user, at, about_clients=about_clients)
        return self.none() if rule is NOBODY else self.filter(rule)

    def actionable_by(self, user, at=None):
        """What the user acts on: their own prompts, and those of colleagues they stand in for now
        (a manager's agenda is their own prompts; the team's are on /team/)."""
        rule = actionable_access(user, at)
        return self.none() if rule is NOBODY else self.filter(rule)

    def acting_for(self, user, at=None):
        """Whose prompts the user acts on, before the client's rule and the relevance test: a
        superset of actionable_by, in the order of the agenda's indexes (cheap to walk)."""
        if user.is_manager or user.is_superuser:
            return self.filter(owner=user)
        return self.filter(_acting_for(user, away_now(at or timezone.now())))

    def live(self):
        return self.filter(state__in=LIVE_STATES)

    def due(self, now=None):
        """Live prompts whose time has come and that have not been delivered for that time (items
        listed in a catch-up are delivered through it, not one by one)."""
        return self.live().filter(
            due_at__lte=now or timezone.now(), notified_at__isnull=True, catch_up__isnull=True
        )

    def that_matter(self, now=None, *, catch_ups=True):
        """Those whose reason is still there (see relevance.matters): one rule for every reader.
        `catch_ups=False` leaves catch-ups out, and with them a test over every item they list that
        the planner would otherwise run (hashed, over the whole backlog) for each query."""
        from .relevance import matters, subject_matters

        now = now or timezone.now()
        return self.filter(matters(now) if catch_ups else subject_matters(now))

    def for_reading(self):
        """With everything the words are composed from, in the same query."""
        return self.select_related(*READ_WITH)

    def for_rows(self):
        """`for_reading()` with only the columns the words and a row read: a list's rows are read
        with half the columns and half the Python (a page of 17 reminders: 16,600 -> 9,600 calls)."""
        return self.for_reading().only(*row_fields())


# What `for_reading()` follows, and what of it the words read (`for_rows()`).
READ_WITH = (
    "client",
    "service_request__client",
    "important_date__relation",
    "anticipated_need",
    "vendor_use__vendor",
)


def row_fields(through: str = "") -> list[str]:
    """The columns a reminder's row and words read (`for_rows()`), reached `through` a relation."""
    return [
        f"{through}{name}"
        for name in (
            *(f.name for f in Reminder._meta.concrete_fields),
            *(
                f"{client}__{name}"
                for client in ("client", "service_request__client")
                for name in ("first_name", "preferred_name", "last_name")
            ),
            "service_request__title",
            "service_request__acknowledge_by",
            "important_date__label",
            "important_date__kind",
            "important_date__relation__name",
            "anticipated_need__title",
            "vendor_use__stage",
            "vendor_use__expires_at",
            "vendor_use__vendor__name",
        )
    ]


class Reminder(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        IMPORTANT_DATE = "important_date", _("Important date")
        ANTICIPATED_NEED = "anticipated_need", _("Anticipated need")
        FOLLOW_UP = "follow_up", _("Follow-up call")
        NOT_ACKNOWLEDGED = "not_acknowledged", _("Not acknowledged")
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        EXPIRY = "expiry", _("Hold or quote expiring")
        CADENCE = "cadence", _("Time to call")
        CATCH_UP = "catch_up", _("To catch up")
        HANDOVER = "handover", _("Handover")
        MANUAL = "manual", _("Reminder")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SNOOZED = "snoozed", _("Snoozed")
        DONE = "done", _("Done")
        DISMISSED = "dismissed", _("Dismissed")
        SUPERSEDED = "superseded", _("Replaced")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    service_request = models.ForeignKey(
        "requests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # The subject, named explicitly (the kind says which of these it is about).
    important_date = models.ForeignKey(
        "clients.ImportantDate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    anticipated_need = models.ForeignKey(
        "clients.AnticipatedNeed", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    vendor_use = models.ForeignKey(
        "requests.VendorUse", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The occurrence (of a date or a need) or the due moment (of a request, a hold) it was made for.
    occurrence = models.DateField(null=True, blank=True)
    for_due_at = models.DateTimeField(null=True, blank=True)
    # Late already when the sweep first saw it: listed in this catch-up prompt, not delivered alone.
    catch_up = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MANUAL)
    # Only what a person typed (a manual reminder); every other word is composed when read.
    note = models.CharField(_("what"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("when"))
    state = models.CharField(max_length=10, choices=State, default=State.OPEN)
    # A uniqueness guard only, so that a second sweep (or a parallel one) creates nothing: nothing
    # reads it back.
    dedupe_key = models.CharField(max_length=200, unique=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["owner", "state", "due_at"]),
            models.Index(fields=["state", "notified_at", "due_at"]),
            # Delivery claims from this in due order (the same WHERE as `due()`): no sort of the
            # backlog, and delivered rows leave it.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(
                    state__in=LIVE_STATES, notified_at__isnull=True, catch_up__isnull=True
                ),
                name="reminder_due_undelivered",
            ),
            # The agenda's lists: a user's live prompts in due order, deadlines and calls apart, so
            # that each list reads its first rows and stops (`live()` alone names two states, and
            # an index led by the state could not give one due order across both).
            models.Index(
                fields=["owner", "due_at", "id"],
                condition=Q(state__in=LIVE_STATES, catch_up__isnull=True) & ~Q(kind="cadence"),
                name="reminder_agenda",
            ),
            models.Index(
                fields=["owner", "due_at", "id"],
                condition=Q(state__in=LIVE_STATES, catch_up__isnull=True, kind="cadence"),
                name="reminder_agenda_calls",
            ),
            # What a catch-up lists, oldest first.
            models.Index(
                fields=["catch_up", "due_at", "id"],
                condition=Q(state__in=LIVE_STATES),
                name="reminder_catch_up_items",
            ),
            # Settling judges the live prompts a few kinds at a time (services.close_settled).
            models.Index(
                fields=["kind"], condition=Q(state__in=LIVE_STATES), name="reminder_live_kind"
            ),
        ]
        # One open prompt per subject and purpose, whatever runs at once.
        constraints = [
            models.UniqueConstraint(
                fields=[field],
                condition=models.Q(state__in=["open", "snoozed"], kind__in=kinds),
                name=f"one_live_{name}",
            )
            for name, field, kinds in [
                ("date_prompt", "important_date", ["important_date"]),
                ("need_prompt", "anticipated_need", ["anticipated_need"]),
                (
                    "request_prompt",
                    "service_request",
                    ["not_acknowledged", "due_soon", "overdue", "follow_up"],
                ),
                ("expiry_prompt", "vendor_use", ["expiry"]),
                ("cadence_prompt", "client", ["cadence"]),
                ("catch_up", "owner", ["catch_up"]),
            ]
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        """Where acting on the reminder happens: its request, else its client, else the agenda."""
        # Spliced into patterns reversed once (a catch-up lists a few of its items on each agenda).
        if self.kind == self.Kind.HANDOVER and self.client_id:
            return link("handover", self.client_id)
        if self.service_request_id:
            return link("requests:detail", self.service_request_id)
        if self.client_id:
            return link("clients:detail", self.client_id)
        return link("agenda") + (f"#reminder-{self.pk}" if self.pk else "")

    @property
    def title(self) -> str:
        """What the reminder says, in the active language (composed now, never stored)."""
        from .wording import title

        return title(self)

    @property
    def detail(self) -> str:
        from .wording import detail

        return detail(self)

    @property
    def subject_key(self) -> str:
        """What the reminder is about, for "one line per subject" (a manual reminder is its own)."""
        if self.kind in (self.Kind.MANUAL, self.Kind.CATCH_UP):
            return f"reminder:{self.pk}"
        for name in ("important_date", "anticipated_need", "vendor_use", "service_request"):
            if getattr(self, f"{name}_id"):
                return f"{name}:{getattr(self, f'{name}_id')}"
        if self.kind == self.Kind.CADENCE:
            return f"client:{self.client_id}"
        return f"reminder:{self.pk}"

    @property
    def is_catch_up(self) -> bool:
        return self.kind == self.Kind.CATCH_UP

    @property
    def is_live(self) -> bool:
        return self.state in (self.State.OPEN, self.State.SNOOZED)

    @property
    def is_overdue(self) -> bool:
        return self.is_live and self.due_at < timezone.now() - timedelta(minutes=1)


class Outgoing(models.Model):
    """An email's state, kept on the row the email is about (see outbox.py): due from
    `next_attempt_at` (empty once settled), held by one sender until `email_claimed_until`, sent at
    `emailed_at`, or given up at `email_failed_at` with the last error."""

    next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_failed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def email_failed(self) -> bool:
        return self.email_failed_at is not None


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user, at=None):
        """Notifications are personal, and about something the reader may still see: one about a
        client they no longer look after is hidden from them (like the client, a 404)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            user=user, reminder__in=Reminder.objects.visible_to(user, at).values("pk")
        )


class Notification(Outgoing):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notifications")
    # The reminder's due time this notification is for: a snoozed reminder prompts again, once.
    for_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "for_due_at"], name="one_notification_per_reminder_due"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # A user's notifications newest first (read backwards): a page reads its rows in order
            # and stops, instead of sorting all of them.
            models.Index(fields=["user", "created_at", "id"], name="notification_newest"),
            # The emails due, oldest first: settled ones leave the index.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="notification_email_due",
            ),
            models.Index(
                fields=["email_failed_at"],
                condition=models.Q(email_failed_at__isnull=False),
                name="notification_email_failed",
            ),
        ]

    def __str__(self):
        return self.title

    # Words are the reminder's, composed when read in the reader's language.
    @property
    def title(self) -> str:
        return self.reminder.title

    @property
    def body(self) -> str:
        return self.reminder.detail

    @property
    def url(self) -> str:
        return self.reminder.get_absolute_url()


class DigestSent(Outgoing):
    """One morning digest per concierge per local day: the row claims the day (`sent_at` is when),
    its email is sent from it like a notification's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_day")]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="digest_email_due",
            ),
            models.Index(
                fields=["email_failed_at"],
                condition=models.Q(email_failed_at__isnull=False),
                name="digest_email_failed",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"

"""The parts of a client's record: contact points, household, dates, preferences, interactions."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concierge.common.choices import ChoiceLabels

from .client import Client, ClientDataQuerySet
from .vocabulary import Category

STALE_AFTER = datetime.timedelta(days=365)


class ClientPart(ChoiceLabels, models.Model):
    """A section item of a client's record, edited in place with a version check."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ClientDataQuerySet.as_manager()

    class Meta:
        abstract = True


class ContactPoint(ClientPart):
    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        MESSAGING = "messaging", _("Messaging")
        ADDRESS = "address", _("Address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PHONE)
    value = models.CharField(_("value"), max_length=300)
    # E.164 for phones and messaging numbers, lower case for emails: what callers are matched on.
    normalized = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("e.g. mobile, office, Geneva")
    )
    preferred = models.BooleanField(_("preferred"), default=False)
    best_times = models.CharField(_("best times to reach"), max_length=120, blank=True)

    history = HistoricalRecords(excluded_fields=["version", "normalized"])

    class Meta:
        ordering = ["-preferred", "kind", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        default_related_name = "contact_points"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def href(self) -> str:
        if self.kind == self.Kind.PHONE:
            return f"tel:{self.normalized or self.value}"
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.MESSAGING and self.normalized:
            return f"sms:{self.normalized}"
        return ""


class Relation(ClientPart):
    class Kind(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        ASSISTANT = "assistant", _("Assistant")
        CHAUFFEUR = "chauffeur", _("Chauffeur")
        HOUSEKEEPER = "housekeeper", _("Housekeeper")
        NANNY = "nanny", _("Nanny")
        FRIEND = "friend", _("Friend")
        OTHER = "other", _("Other")

    kind = models.CharField(_("relation"), max_length=20, choices=Kind, default=Kind.SPOUSE)
    name = models.CharField(_("name"), max_length=160)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Their own tastes, allergies, habits.")
    )

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household")
        default_related_name = "relations"

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_staff(self) -> bool:
        return self.kind in {
            self.Kind.ASSISTANT,
            self.Kind.CHAUFFEUR,
            self.Kind.HOUSEKEEPER,
            self.Kind.NANNY,
        }


def month_day_of(date: datetime.date) -> int:
    return date.month * 100 + date.day


class MonthDay(models.Func):
    """month * 100 + day of a date column, in SQL that both databases accept in a generated column."""

    output_field = models.PositiveSmallIntegerField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: EXTRACT on a date is immutable
        return self.as_sql_template(
            compiler,
            connection,
            "(EXTRACT(MONTH FROM %(expressions)s) * 100 + EXTRACT(DAY FROM %(expressions)s))::smallint",
        )

    def as_sqlite(self, compiler, connection, **extra):  # dates are stored as YYYY-MM-DD text
        return self.as_sql_template(
            compiler,
            connection,
            "(CAST(substr(%(expressions)s, 6, 2) AS INTEGER) * 100"
            " + CAST(substr(%(expressions)s, 9, 2) AS INTEGER))",
        )

    def as_sql_template(self, compiler, connection, template):
        return super().as_sql(compiler, connection, template=template)


def next_yearly_occurrence(date: datetime.date, today: datetime.date) -> datetime.date:
    """The next anniversary of `date` on or after `today`; 29 February falls on 28 February."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date.replace(year=year)
        except ValueError:
            candidate = datetime.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


# An important date's words and arithmetic from its columns: its rows and the agenda's side column
# (read as values, without a model instance per date) say the same.
def date_title(label: str, kind_label: str, relation_name: str | None) -> str:
    """ "Birthday", "Wedding anniversary · Mathilde": the label, else the kind, then whose."""
    what = label or kind_label
    return f"{what} · {relation_name}" if relation_name else what


def next_occurrence(
    date: datetime.date, yearly: bool, today: datetime.date
) -> datetime.date | None:
    """When the date next comes, on or after `today` (None: a one-off date that has passed)."""
    if not yearly or date >= today:
        # A yearly date still ahead (a wedding next June) first comes on the date itself.
        return date if date >= today else None
    return next_yearly_occurrence(date, today)


def age_at(date: datetime.date, yearly: bool, occurrence: datetime.date | None) -> int | None:
    """The years a yearly date marks on its `occurrence` (an age, an anniversary's count)."""
    if occurrence is None or not yearly or date.year < 1900:
        return None
    years = occurrence.year - date.year
    return years if years > 0 else None


class ImportantDate(ClientPart):
    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        ANNIVERSARY = "anniversary", _("Anniversary")
        CUSTOM = "custom", _("Other date")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BIRTHDAY)
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("e.g. Wedding anniversary")
    )
    date = models.DateField(_("date"))
    yearly = models.BooleanField(_("every year"), default=True)
    relation = models.ForeignKey(
        Relation,
        verbose_name=_("whose"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the client's own date."),
    )

    # month * 100 + day of `date`, indexed (with the key, below), so that "whose anniversary falls
    # this week" is an index lookup. The database computes it from `date`, whoever writes (save, update, bulk, COPY).
    month_day = models.GeneratedField(
        expression=MonthDay("date"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["version", "month_day"])

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("important date")
        verbose_name_plural = _("important dates")
        default_related_name = "important_dates"
        indexes = [
            # The coming dates in day order, then by key: a page of 40 stops after 40 rows, where
            # ordering a day's dates by name read the whole day (600 at 100,000 clients).
            models.Index(fields=["month_day", "id"], name="importantdate_day_then_id"),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return date_title(
            self.label, self.get_kind_display(), self.relation.name if self.relation_id else ""
        )

    def next_occurrence(self, today: datetime.date | None = None) -> datetime.date | None:
        return next_occurrence(self.date, self.yearly, today or timezone.localdate())

    def days_left(self, today: datetime.date | None = None) -> int | None:
        today = today or timezone.localdate()
        occurrence = self.next_occurrence(today)
        return None if occurrence is None else (occurrence - today).days

    def age_at_next(self, today: datetime.date | None = None) -> int | None:
        return age_at(self.date, self.yearly, self.next_occurrence(today))


class Preference(ClientPart):
    Category = Category

    class Kind(models.TextChoices):
        LIKE = "like", _("Likes")
        DISLIKE = "dislike", _("Dislikes")
        ALLERGY = "allergy", _("Allergy")
        NEVER = "never", _("Never")

    class Severity(models.TextChoices):
        NOTE = "note", _("Good to know")
        IMPORTANT = "important", _("Important")
        CRITICAL = "critical", _("Critical")

    class Source(models.TextChoices):
        SAID = "said", _("Said by the client")
        OBSERVED = "observed", _("Observed")
        INFERRED = "inferred", _("Inferred")

    HARD_KINDS = (Kind.ALLERGY, Kind.NEVER)

    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.DINING
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.LIKE)
    detail = models.CharField(_("detail"), max_length=300)
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity, default=Severity.NOTE
    )
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.SAID)
    relation = models.ForeignKey(
        Relation,
        verbose_name=_("whose"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave empty for the client's own preference."),
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captured_at = models.DateTimeField(_("captured"), default=timezone.now)
    last_confirmed_at = models.DateTimeField(_("last confirmed"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["category", "kind", "id"]
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        default_related_name = "preferences"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"

    @property
    def is_hard_constraint(self) -> bool:
        return self.kind in self.HARD_KINDS

    @property
    def is_stale(self) -> bool:
        return timezone.now() - self.last_confirmed_at > STALE_AFTER


class Interaction(ChoiceLabels, models.Model):
    class Channel(models.TextChoices):
        CALL = "call", _("Call")
        MESSAGE = "message", _("Message")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Visit")
        # Written down about the client (from the phone), not a contact with them.
        NOTE = "note", _("Note")

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("We reached out")
        INBOUND = "inbound", _("They reached us")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="interactions")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.CALL)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction, default=Direction.OUTBOUND
    )
    summary = models.TextField(_("summary"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Made by the browser for a capture taken on the phone: the same capture sent twice is kept once.
    capture_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()
    objects = ClientDataQuerySet.as_manager()

    # Channels that are a contact with the client (a note is not: it settles no call owed).
    CONTACT_CHANNELS = (
        Channel.CALL,
        Channel.MESSAGE,
        Channel.EMAIL,
        Channel.MEETING,
        Channel.VISIT,
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["client", "-occurred_at"]),
            # The record picker's recent clients: an author's latest, without sorting them all.
            models.Index(fields=["by", "-occurred_at", "-id"], name="interaction_by_author_latest"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"

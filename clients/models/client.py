from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from concierge.accounts.models import away_now
from concierge.common.choices import ChoiceLabels

from ..files import private_storage

NOBODY = object()  # what client_access answers when the user sees no client at all


def client_access(user, at=None, away=None, through: str = ""):
    """The one rule that says which clients a user may see, as a `Q` over the client's own columns
    reached `through` a relation ("client__", "service_request__client__"): a join the planner
    serves from an index row by row, where `client__in=<subquery>` made it list every visible
    client first (100,000 ids for a concierge who sees them all). Anything else is a 404.

    A concierge: the clients they are primary or backup for, and those of a colleague away now who
    named them stand-in. A manager: their team's (the client's team, kept with its concierge, so
    that the unassigned queue is theirs too). A superuser outside any team: all (an empty `Q`).
    `NOBODY` when the user sees no client.
    """
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if user.is_superuser and user.team_id is None:
        # An operator outside any team; one who belongs to a team works by its rule.
        return Q()
    if user.is_manager:
        if user.team_id is None:
            return NOBODY
        return Q(**{f"{through}team_id": user.team_id})
    mine = Q(**{f"{through}primary_concierge": user}) | Q(**{f"{through}backup_concierge": user})
    if away is None:
        away = away_now(at or timezone.now())
    covering = [absent for absent, stand_in in away.items() if stand_in == user.pk]
    if covering:
        mine |= Q(**{f"{through}primary_concierge_id__in": covering})
    return mine


def name_of(first_name: str, preferred_name: str, last_name: str) -> str:
    """How a client is named in lists ("Lola Fontaine" for Louise, called Lola): `display_name`
    from the columns, for rows read as values."""
    return f"{preferred_name or first_name} {last_name}".strip()


def latest_pronunciation_clip() -> Subquery:
    """The id of a client's latest recording of how its name is said (a subquery on the client)."""
    from .voice import VoiceNote  # voice.py reads Client

    clips = VoiceNote.objects.filter(client_id=OuterRef("pk"), purpose="pronunciation")
    return Subquery(clips.order_by("-recorded_at", "-pk").values("pk")[:1])


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user, at=None, away=None):
        """The clients `user` may see (see client_access): anything else is a 404."""
        rule = client_access(user, at, away)
        return self.none() if rule is NOBODY else self.filter(rule)

    def unassigned(self):
        """The team's queue: clients with no concierge, waiting for a manager to assign them."""
        return self.filter(primary_concierge__isnull=True)


class ClientDataQuerySet(models.QuerySet):
    """Anything that holds a client's data (parts, interactions, needs) follows the client's rule."""

    def visible_to(self, user):
        rule = client_access(user, through="client__")
        return self.none() if rule is NOBODY else self.filter(rule)


class ClientHistory(HistoricalRecords):
    """simple-history records a change of tags made from the client's side only (from the tag's
    side, `tag.clients.clear()`, it fails): record those for each client concerned."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            instance._clients_cleared = list(instance.clients.values_list("pk", flat=True))
            return None
        if action == "post_clear":
            pk_set = getattr(instance, "_clients_cleared", [])
        elif action not in ("post_add", "post_remove"):
            return None
        for client in Client.objects.filter(pk__in=pk_set or ()):
            super().m2m_changed(client, action, attr, pk_set, False, **kwargs)
        return None


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class QueueFirstIndex(models.Index):
    """An index whose NULLS FIRST SQLite cannot say in an index: there NULL sorts first anyway, so
    the same columns go in plain."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite":
            plain = [getattr(e, "expression", e) for e in self.expressions]
            return models.Index(*plain, name=self.name).create_sql(
                model, schema_editor, using, **kwargs
            )
        return super().create_sql(model, schema_editor, using, **kwargs)


class Client(ChoiceLabels, models.Model):
    class Tier(models.TextChoices):
        ESSENTIAL = "essential", _("Essential")
        PREMIUM = "premium", _("Premium")
        PRIVATE = "private", _("Private")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        FORMER = "former", _("Former")

    first_name = models.CharField(_("legal first name"), max_length=120)
    last_name = models.CharField(_("legal last name"), max_length=120)
    preferred_name = models.CharField(
        _("preferred name"), max_length=120, blank=True, help_text=_("How they like to be called.")
    )
    form_of_address = models.CharField(
        _("form of address"),
        max_length=120,
        blank=True,
        help_text=_("How to greet them, e.g. “Madame la Présidente”."),
    )
    pronunciation = models.CharField(
        _("pronunciation"), max_length=200, blank=True, help_text=_("e.g. “dar-KOOR”.")
    )
    photo = models.FileField(
        _("photo"), upload_to="clients/photos/", storage=private_storage, blank=True
    )
    languages = models.CharField(
        _("languages"),
        max_length=120,
        blank=True,
        help_text=_("Comma-separated, e.g. French, English."),
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier, default=Tier.PREMIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
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
    # The team that looks after the client (its concierge's); kept when nobody is assigned, so
    # that the client waits in that team's unassigned queue instead of vanishing.
    team = models.ForeignKey(
        "concierge.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="clients")
    notes = models.TextField(_("notes"), blank=True)

    # Accent-free, lower-case text of everything searchable; kept by clients.search.
    search_text = models.TextField(default="", blank=True, editable=False)
    # The name as a French reader sorts it: no accents, no case, "d'Harcourt" as "dharcourt".
    sort_name = models.CharField(max_length=250, default="", blank=True, editable=False)
    # Bumped on every save of the identity section: a stale form is a conflict.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Tags too: each history row keeps the tags the client had then.
    history = ClientHistory(
        excluded_fields=["search_text", "sort_name", "version", "updated_at"], m2m_fields=[tags]
    )
    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["sort_name", "id"]),
            models.Index(fields=["tier"]),
            models.Index(fields=["team", "tier"]),
            # A manager's list: the team's unassigned queue first, then by concierge and name, read
            # in order (sorting the team's 100,000 clients for a page took 100 ms).
            QueueFirstIndex(
                F("team"),
                F("primary_concierge").asc(nulls_first=True),
                F("sort_name"),
                F("id"),
                name="client_team_queue_first",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return name_of(self.first_name, self.preferred_name, self.last_name)

    @property
    def photo_url(self) -> str:
        """The access-checked address of the photo; the file name in it changes with the photo."""
        if not self.photo:
            return ""
        return f"{reverse('clients:photo', args=[self.pk])}?v={self.photo_version}"

    @property
    def photo_version(self) -> str:
        """What tells one photo from the next in its address (its file name)."""
        return self.photo.name.rsplit("/", 1)[-1]

    @cached_property
    def pronunciation_clip_id(self) -> int | None:
        """The latest recording of how the name is said, or None: read with the client where the
        profile's header shows it (`.annotate(pronunciation_clip_id=latest_pronunciation_clip())`),
        else here."""
        return (
            Client.objects.filter(pk=self.pk)
            .values_list(latest_pronunciation_clip(), flat=True)
            .first()
        )

    @property
    def legal_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        first = (self.preferred_name or self.first_name)[:1]
        last = next(
            (part[:1] for part in self.last_name.replace("'", " ").split() if part[:1].isupper()),
            self.last_name[:1],
        )
        return f"{first}{last}".upper()

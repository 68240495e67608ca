import contextlib
import contextvars
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from concierge.common import compiled

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class Users(UserManager):
    def get_queryset(self):
        # Every page names the signed-in user's team: read it with the user, in the one query that
        # each request makes for them, rather than in a query of its own.
        return super().get_queryset().select_related("team")


class User(AbstractUser):
    class Role(models.TextChoices):
        CONCIERGE = "concierge", _("Concierge")
        MANAGER = "manager", _("Manager")

    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.CONCIERGE)
    objects = Users()
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


class AbsenceQuerySet(models.QuerySet):
    def active(self, at):
        """Absences under way at `at` (start included, end excluded)."""
        return self.filter(starts_at__lte=at, ends_at__gt=at)


class Absence(models.Model):
    """A concierge away for a period: a stand-in takes their prompts and new requests meanwhile.

    Without a named stand-in, each client's backup concierge stands in for that client.
    Nothing moves: who acts for whom is read from the rows that are under way, so everything comes
    back by itself when the period ends.
    """

    user = models.ForeignKey(
        User, verbose_name=_("concierge"), on_delete=models.CASCADE, related_name="absences"
    )
    stand_in = models.ForeignKey(
        User,
        verbose_name=_("stand-in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="standing_in",
        help_text=_("Leave empty: each client's backup concierge stands in."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.starts_at:%Y-%m-%d} → {self.ends_at:%Y-%m-%d}"


# Within one web request, who is away is read once (per minute of `at`): every scoping of the page
# asks it. Outside a request (tasks, tests of services) it is read each time.
_away_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("away", default=None)


@contextlib.contextmanager
def away_read_once():
    token = _away_cache.set({})
    try:
        yield
    finally:
        _away_cache.reset(token)


def away_now(at) -> dict[int, int | None]:
    """Who is away at `at`: {absent user id: named stand-in id or None (each client's backup)}."""
    cache = _away_cache.get()
    key = at.replace(second=0, microsecond=0)
    if cache is not None and key in cache:
        return cache[key]
    # Compiled once (building the query cost a millisecond of Python on every page).
    away = dict(compiled.rows(("away-now",), _absent_at, {"at": at}))
    if cache is not None:
        cache[key] = away
    return away


def _absent_at(at):
    return Absence.objects.active(at).values_list("user_id", "stand_in_id")


def stand_in_id(away: dict[int, int | None], owner_id: int, backup_id: int | None) -> int:
    """Who acts for `owner_id` on a client whose backup is `backup_id` (the owner when not away)."""
    if owner_id not in away:
        return owner_id
    return away[owner_id] or backup_id or owner_id

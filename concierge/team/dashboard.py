"""The team at a glance, per concierge: clients by tier, open requests, overdue reminders, median
time to acknowledge, satisfaction (average and NPS) over 30 and 90 days, each with a weekly trend.

Every figure is an aggregate computed by the database, in a fixed number of queries whatever the
number of clients, requests or reminders (medians with a window function, on SQLite as on
PostgreSQL); Python only places the few grouped rows. At 100,000 clients these aggregates still
cost ~200 ms, so the page reads them through `team_dashboard_cached`: a minute old at most.
"""

import contextlib
import datetime
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from requests.models import OPEN_STATUSES, Feedback, ServiceRequest
from requests.satisfaction import Figures

from ..accounts.models import Absence, User
from ..reminders.models import Reminder
from .charts import Spark, spark

WEEKS = 12
TIERS = [Client.Tier.PRIVATE, Client.Tier.PREMIUM, Client.Tier.ESSENTIAL]
LATE_AFTER = datetime.timedelta(days=1)  # a reminder closed more than a day after it was due


class Satisfaction(Figures):
    """The satisfaction page's figures (responses, points, promoters, detractors, NPS), with the
    average as the dashboard shows it: one decimal."""

    @property
    def average(self) -> float | None:
        return round(self.points / self.responses, 1) if self.responses else None


@dataclass
class Row:
    member: User
    tiers: dict = field(default_factory=dict)
    clients: int = 0
    open_requests: int = 0
    late_requests: int = 0
    overdue_reminders: int = 0
    ack_median: datetime.timedelta | None = None
    sat30: Satisfaction = field(default_factory=Satisfaction)
    sat90: Satisfaction = field(default_factory=Satisfaction)
    trends: dict[str, Spark] = field(default_factory=dict)
    absence: Absence | None = None

    @property
    def ack_label(self) -> str:
        return duration_label(self.ack_median) if self.ack_median is not None else ""

    @property
    def tier_counts(self) -> list[tuple[str, int]]:
        return [(tier, self.tiers.get(tier, 0)) for tier in TIERS]

    @property
    def needs_help(self) -> bool:
        """What the manager should look at first: late work piling up, or unhappy clients."""
        nps = self.sat30.nps
        return (
            self.overdue_reminders >= 5 or self.late_requests >= 3 or (nps is not None and nps < 0)
        )


@dataclass
class Dashboard:
    rows: list[Row]
    unassigned: int
    weeks: list[datetime.date]
    now: datetime.datetime


def duration_label(value: datetime.timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": minutes}
    return _("%(days)s days") % {"days": hours // 24}


def _weeks(now: datetime.datetime) -> list[datetime.date]:
    today = timezone.localtime(now).date()
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _index(weeks: list[datetime.date], moment) -> int | None:
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    position = (day - weeks[0]).days // 7
    return position if 0 <= position < len(weeks) else None


def _medians(queryset, partition: list) -> list:
    """(partition values…, median duration) rows: the middle one or two per group, picked by the
    database with a row number over the sorted durations."""
    duration = ExpressionWrapper(
        F("acknowledged_at") - F("created_at"), output_field=DurationField()
    )
    ranked = (
        queryset.annotate(duration=duration)
        .annotate(
            rank=Window(RowNumber(), partition_by=partition, order_by=F("duration").asc()),
            size=Window(Count("pk"), partition_by=partition),
        )
        .filter(rank__gte=F("size") / 2.0, rank__lte=F("size") / 2.0 + 1)
    )
    return ranked


def team_dashboard(manager: User, now: datetime.datetime | None = None) -> Dashboard:
    return team_dashboard_of(manager.team_id, now)


def team_dashboard_of(team_id: int, now: datetime.datetime | None = None) -> Dashboard:
    """The figures of one team, computed now."""
    now = now or timezone.now()
    weeks = _weeks(now)
    since = timezone.make_aware(datetime.datetime.combine(weeks[0], datetime.time()))
    members = list(
        User.objects.filter(team_id=team_id, role=User.Role.CONCIERGE, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )
    rows = {m.pk: Row(member=m) for m in members}
    ids = list(rows)
    team_clients = Client.objects.filter(team_id=team_id)

    for person, tier, count in (
        team_clients.filter(primary_concierge_id__in=ids)
        .order_by()
        .values_list("primary_concierge_id", "tier")
        .annotate(n=Count("pk"))
    ):
        rows[person].tiers[tier] = count
        rows[person].clients += count
    unassigned = team_clients.filter(primary_concierge__isnull=True).count()

    for person, count, late in (
        ServiceRequest.objects.filter(assignee_id__in=ids, status__in=OPEN_STATUSES)
        .order_by()
        .values_list("assignee_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
    ):
        rows[person].open_requests, rows[person].late_requests = count, late

    for person, count in (
        Reminder.objects.live()
        .filter(owner_id__in=ids, due_at__lt=now, catch_up__isnull=True)
        .exclude(kind__in=[Reminder.Kind.CATCH_UP, Reminder.Kind.HANDOVER])
        # Catch-ups are left out: so is the test over all they list (hashed over the backlog).
        .that_matter(now, catch_ups=False)
        .order_by()
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    ):
        rows[person].overdue_reminders = count

    acknowledged = ServiceRequest.objects.filter(
        assignee_id__in=ids, acknowledged_at__isnull=False, created_at__gte=since
    )
    headline: dict[int, list] = {}
    recent = acknowledged.filter(created_at__gte=now - datetime.timedelta(days=90))
    for person, duration in _medians(recent, [F("assignee_id")]).values_list(
        "assignee_id", "duration"
    ):
        headline.setdefault(person, []).append(duration)
    for person, durations in headline.items():
        rows[person].ack_median = sum(durations, datetime.timedelta()) / len(durations)
    weekly_ack: dict[tuple, list] = {}
    for person, week, duration in _medians(
        acknowledged.annotate(week=TruncWeek("created_at")), [F("assignee_id"), F("week")]
    ).values_list("assignee_id", "week", "duration"):
        weekly_ack.setdefault((person, _index(weeks, week)), []).append(duration)

    opened: dict[tuple, int] = {}
    for person, week, count in (
        ServiceRequest.objects.filter(assignee_id__in=ids, created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values_list("assignee_id", "week")
        .annotate(n=Count("pk"))
    ):
        opened[(person, _index(weeks, week))] = count

    late_weekly: dict[tuple, int] = {}
    for person, week, count in (
        Reminder.objects.filter(owner_id__in=ids, due_at__gte=since, due_at__lt=now)
        .exclude(kind__in=[Reminder.Kind.CATCH_UP, Reminder.Kind.HANDOVER])
        .filter(
            Q(state__in=["open", "snoozed"])
            | Q(closed_at__gt=F("due_at") + LATE_AFTER, state=Reminder.State.DONE)
        )
        .annotate(week=TruncWeek("due_at"))
        .order_by()
        .values_list("owner_id", "week")
        .annotate(n=Count("pk"))
    ):
        late_weekly[(person, _index(weeks, week))] = count

    feedback = Feedback.objects.filter(
        service_request__assignee_id__in=ids,
        recorded_at__gte=min(since, now - datetime.timedelta(days=90)),
    )
    thirty = Q(recorded_at__gte=now - datetime.timedelta(days=30))
    ninety = Q(recorded_at__gte=now - datetime.timedelta(days=90))
    for person, *counts in (
        feedback.order_by()
        .values_list("service_request__assignee_id")
        .annotate(
            n30=Count("pk", filter=thirty),
            p30=Sum("score", filter=thirty),
            pro30=Count("pk", filter=thirty & Q(score__gte=9)),
            det30=Count("pk", filter=thirty & Q(score__lte=6)),
            n90=Count("pk", filter=ninety),
            p90=Sum("score", filter=ninety),
            pro90=Count("pk", filter=ninety & Q(score__gte=9)),
            det90=Count("pk", filter=ninety & Q(score__lte=6)),
        )
    ):
        counts = [c or 0 for c in counts]
        rows[person].sat30 = Satisfaction(*counts[:4])
        rows[person].sat90 = Satisfaction(*counts[4:])
    weekly_sat: dict[tuple, Satisfaction] = {}
    for person, week, *counts in (
        feedback.filter(recorded_at__gte=since)
        .annotate(week=TruncWeek("recorded_at"))
        .order_by()
        .values_list("service_request__assignee_id", "week")
        .annotate(
            n=Count("pk"),
            p=Sum("score"),
            pro=Count("pk", filter=Q(score__gte=9)),
            det=Count("pk", filter=Q(score__lte=6)),
        )
    ):
        weekly_sat[(person, _index(weeks, week))] = Satisfaction(*[c or 0 for c in counts])

    for absence in Absence.objects.filter(user_id__in=ids, ends_at__gt=now).select_related(
        "stand_in"
    ):
        row = rows[absence.user_id]
        if row.absence is None:
            row.absence = absence

    span = range(len(weeks))
    for person, row in rows.items():
        acks = [weekly_ack.get((person, i)) for i in span]
        sats = [weekly_sat.get((person, i)) for i in span]
        row.trends = {
            "requests": spark([opened.get((person, i), 0) for i in span], floor=0),
            "reminders": spark([late_weekly.get((person, i), 0) for i in span], floor=0),
            "ack": spark(
                [
                    (sum(a, datetime.timedelta()) / len(a)).total_seconds() / 3600 if a else None
                    for a in acks
                ],
                floor=0,
            ),
            "satisfaction": spark([s.average if s else None for s in sats]),
            "nps": spark([s.nps if s else None for s in sats]),
        }
    ordered = sorted(rows.values(), key=lambda r: (not r.needs_help, r.member.display_name))
    return Dashboard(rows=ordered, unassigned=unassigned, weeks=weeks, now=now)


# Why a cache, and why it simply expires: the figures are aggregates over the whole team (every
# client by tier, the overdue reminders, medians and twelve weeks of trends) that a manager reads
# to see where help is needed; a minute-old picture serves that, and the page says "as of" when.
# The writes that move these figures are everywhere (a concierge closing a reminder, a client
# answering a survey, the sweep): invalidating on each would couple every write to this page, so
# the entry expires after TEAM_DASHBOARD_TTL seconds. The beat computes every team's figures again
# before that (`refresh_team_dashboards_task`), so that no manager waits for them.
# The manager's own moves on this side (reassigning clients, the unassigned queue, absences) start
# a new generation of the team's figures (`team_dashboard_forget`): an entry is read only if it was
# computed in the current one, so that what they just did shows when they come back, even when a
# refresh that began before their move stores its figures after it.
# The key is the team alone, not the language: what is cached are numbers, users and dates; every
# word (durations, badges, labels) is composed when the page is rendered, in the reader's language.
def _cache_key(team_id: int) -> str:
    # (generation, Dashboard): v4 when the shape of Dashboard or Row changes
    return f"team-dashboard:v3:{team_id}"


def _generation_key(team_id: int) -> str:
    return f"team-dashboard:generation:{team_id}"


def team_dashboard_cached(manager: User) -> Dashboard:
    """The team's dashboard as computed at most TEAM_DASHBOARD_TTL seconds ago (its `now` says when),
    and after the manager's own last move. One round trip to the cache when it is there."""
    team_id = manager.team_id
    try:
        found = cache.get_many([_cache_key(team_id), _generation_key(team_id)])
        entry, generation = found.get(_cache_key(team_id)), found.get(_generation_key(team_id))
        if entry is not None and generation is not None and entry[0] == generation:
            return entry[1]
        generation = generation if generation is not None else _generation(team_id)
    except Exception:  # the cache out of reach: the figures computed now, the page still answers
        return team_dashboard(manager)
    return _compute_and_keep(team_id, generation)


def team_dashboard_refresh(team_id: int) -> Dashboard:
    """Compute the team's figures now and keep them for TEAM_DASHBOARD_TTL seconds."""
    return _compute_and_keep(team_id, _generation(team_id))


def _compute_and_keep(team_id: int, generation: int) -> Dashboard:
    """`generation` is read before computing: a move during the computation outdates the figures."""
    board = team_dashboard_of(team_id)
    with contextlib.suppress(Exception):
        cache.set(_cache_key(team_id), (generation, board), settings.TEAM_DASHBOARD_TTL)
    return board


def _generation(team_id: int) -> int:
    key = _generation_key(team_id)
    generation = cache.get(key)
    if generation is None:  # never moved, or the cache lost it: a value no earlier entry carries
        cache.add(key, time.time_ns(), timeout=None)
        generation = cache.get(key)
    return generation


def team_dashboard_forget(team_id: int | None) -> None:
    """The next reading of the team's dashboard computes it afresh: figures computed, or being
    computed, before now are not read again."""
    if team_id is None:
        return
    key = _generation_key(team_id)
    try:
        cache.incr(key)
    except ValueError:  # no generation yet
        cache.add(key, time.time_ns(), timeout=None)
    cache.delete(_cache_key(team_id))

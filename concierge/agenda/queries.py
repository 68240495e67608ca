"""What the agenda shows, in a fixed number of queries however many reminders, dates or requests."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, When
from django.utils import timezone

from clients.dates import month_days_between
from clients.models import Client, ImportantDate
from clients.models.profile import month_day_of
from requests.models import ServiceRequest

from ..accounts.models import User
from ..reminders.models import Notification, Reminder

ROWS = 20  # reminders listed per section; the rest are counted, not shown
CALLS_SHOWN = 8
DATES_AHEAD_DAYS = 14
DATES_SHOWN = 40
REQUESTS_AHEAD = datetime.timedelta(hours=48)
COMING_DAYS = 7
COMING_SHOWN = 20


@dataclass
class Agenda:
    today: datetime.date
    overdue: list
    later_today: list
    overdue_count: int
    later_today_count: int
    calls: list
    calls_count: int
    coming: list
    coming_more: bool
    dates: list = field(default_factory=list)
    dates_more: int = 0
    requests: list = field(default_factory=list)
    team: list = field(default_factory=list)

    @property
    def nothing_due(self) -> bool:
        return not (self.overdue_count or self.later_today_count or self.calls_count)


def day_bounds(user, now: datetime.datetime):
    """The user's local date today, and the UTC-aware start of tomorrow in their time zone."""
    tz = user.tzinfo
    today = now.astimezone(tz).date()
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return today, end


def my_reminders(user):
    return Reminder.objects.visible_to(user).filter(owner=user).live()


def _rows(queryset, user, today, limit):
    rows = list(
        queryset.select_related("client", "service_request").order_by("due_at", "id")[:limit]
    )
    for reminder in rows:
        local = reminder.due_at.astimezone(user.tzinfo)
        reminder.on_earlier_day = local.date() < today
        reminder.on_later_day = local.date() > today
    return rows


def reminders_section(user, now: datetime.datetime) -> Agenda:
    """Overdue and later-today reminders of the user (their own, not their team's), and the week ahead."""
    today, end = day_bounds(user, now)
    everything = my_reminders(user)
    # Calls owed by cadence are listed apart, shortly: they are not deadlines like the others.
    calls = everything.filter(kind=Reminder.Kind.CADENCE, due_at__lt=end)
    mine = everything.exclude(kind=Reminder.Kind.CADENCE)
    counts = everything.aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now) & ~Q(kind=Reminder.Kind.CADENCE)),
        later=Count(
            "pk", filter=Q(due_at__gte=now, due_at__lt=end) & ~Q(kind=Reminder.Kind.CADENCE)
        ),
        calls=Count("pk", filter=Q(due_at__lt=end, kind=Reminder.Kind.CADENCE)),
    )
    coming = _rows(
        mine.filter(due_at__gte=end, due_at__lt=end + datetime.timedelta(days=COMING_DAYS)),
        user,
        today,
        COMING_SHOWN + 1,
    )
    agenda = Agenda(
        today=today,
        overdue=_rows(mine.filter(due_at__lt=now), user, today, ROWS),
        later_today=_rows(mine.filter(due_at__gte=now, due_at__lt=end), user, today, ROWS),
        overdue_count=counts["overdue"],
        later_today_count=counts["later"],
        calls=_rows(calls, user, today, CALLS_SHOWN),
        calls_count=counts["calls"],
        coming=coming[:COMING_SHOWN],
        coming_more=len(coming) > COMING_SHOWN,
    )
    if user.is_manager:
        agenda.team = team_summary(user, now, end)
    return agenda


def team_summary(manager, now: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Per teammate: reminders overdue, reminders due later today, requests overdue."""
    if not manager.team_id:
        return []
    reminders = (
        Reminder.objects.visible_to(manager)
        .live()
        .exclude(owner=manager)
        .filter(due_at__lt=end)
        .values("owner")
        .annotate(
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            today=Count("pk", filter=Q(due_at__gte=now)),
        )
    )
    late_requests = (
        ServiceRequest.objects.visible_to(manager)
        .open()
        .filter(due_at__lt=now, assignee__team_id=manager.team_id)
        .exclude(assignee=manager)
        .values("assignee")
        .annotate(late=Count("pk"))
    )
    people: dict[int, dict] = {}
    for row in reminders:
        people[row["owner"]] = {"overdue": row["overdue"], "today": row["today"], "late": 0}
    for row in late_requests:
        people.setdefault(row["assignee"], {"overdue": 0, "today": 0, "late": 0})
        people[row["assignee"]]["late"] = row["late"]
    if not people:
        return []
    members = {
        member.pk: member
        for member in User.objects.filter(team_id=manager.team_id, pk__in=people, is_active=True)
    }
    rows = [{"member": members[pk], **counts} for pk, counts in people.items() if pk in members]
    return sorted(rows, key=lambda r: (-r["overdue"], -r["late"], r["member"].display_name))


def coming_dates(user, today: datetime.date, days: int = DATES_AHEAD_DAYS):
    """Important dates of the user's clients (primary or backup) in the next `days` days, soonest
    first: the window, the order and the limit are all in SQL (month_day is indexed)."""
    mine = Client.objects.visible_to(user).filter(
        Q(primary_concierge=user) | Q(backup_concierge=user)
    )
    window = ImportantDate.objects.filter(
        Q(yearly=True) | Q(date__gte=today),
        client__in=mine,
        month_day__in=month_days_between(today, today + datetime.timedelta(days=days)),
    )
    # Past the end of the year, January comes after December.
    soonest = Case(
        When(month_day__gte=month_day_of(today), then=F("month_day")), default=F("month_day") + 1300
    )
    shown = list(
        window.select_related("client", "relation")
        .annotate(soonest=soonest)
        .order_by("soonest", "client__last_name", "pk")[:DATES_SHOWN]
    )
    for item in shown:
        item.next_on = item.next_occurrence(today)
        item.days = (item.next_on - today).days
    return shown, window.count() - len(shown)


def requests_due(user, now: datetime.datetime):
    """The user's open requests overdue or due within 48 hours, most urgent first."""
    return list(
        ServiceRequest.objects.visible_to(user)
        .open()
        .filter(assignee=user, due_at__lte=now + REQUESTS_AHEAD)
        .select_related("client")
        .order_by("due_at", "id")[:ROWS]
    )


def agenda_for(user, now: datetime.datetime | None = None) -> Agenda:
    now = now or timezone.now()
    agenda = reminders_section(user, now)
    agenda.dates, agenda.dates_more = coming_dates(user, agenda.today)
    agenda.requests = requests_due(user, now)
    return agenda


def unread_count(user, cap: int = 100) -> int:
    """How many notifications the user has not read, counted up to `cap` (the bell shows 99+)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)[:cap].count()

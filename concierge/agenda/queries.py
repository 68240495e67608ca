"""What the agenda shows, in a fixed number of queries however many reminders, dates or requests."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from clients.dates import month_days_between
from clients.models import Client, ImportantDate
from clients.models.profile import month_day_of
from requests.models import ServiceRequest

from ..accounts.models import Team, User
from ..ops.models import Outage
from ..reminders.models import DigestSent, Notification, Reminder
from ..reminders.outbox import MAIL_SERVER

SHORT = 5  # reminders a section shows before "show all"
ALL = 200  # what "show all" lists at most
CATCH_UP_SHOWN = 5
DATES_AHEAD_DAYS = 14
DATES_SHOWN = 40
REQUESTS_AHEAD = datetime.timedelta(hours=48)
REQUESTS_SHOWN = 20
COMING_DAYS = 7
SECTIONS = ("overdue", "today", "calls", "coming", "catch_up")


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
    coming_count: int
    show: str = ""  # the section shown whole ("show all"), if any
    dates: list = field(default_factory=list)
    dates_more: int = 0
    requests: list = field(default_factory=list)
    team: list = field(default_factory=list)
    email_trouble: dict | None = None  # for a manager: emails given up, a mail server down

    @property
    def nothing_due(self) -> bool:
        return not (self.overdue_count or self.later_today_count or self.calls_count)

    @property
    def coming_more(self) -> bool:
        return self.coming_count > len(self.coming)


def day_bounds(user, now: datetime.datetime):
    """The user's local date today, and the UTC-aware start of tomorrow in their time zone."""
    tz = user.tzinfo
    today = now.astimezone(tz).date()
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
    return today, end


def my_reminders(user, now: datetime.datetime | None = None):
    """The user's own prompts that still matter (and those of a colleague they stand in for now);
    the items of a catch-up are shown within it."""
    return (
        Reminder.objects.actionable_by(user, now)
        .filter(catch_up__isnull=True)
        .live()
        .that_matter(now or timezone.now())
    )


def _rows(queryset, user, today, limit):
    # The catch-up first: it stands for everything it lists.
    first = Case(When(kind=Reminder.Kind.CATCH_UP, then=0), default=1)
    rows = list(queryset.for_reading().order_by(first, "due_at", "id")[:limit])
    for reminder in rows:
        local = reminder.due_at.astimezone(user.tzinfo)
        reminder.on_earlier_day = local.date() < today
        reminder.on_later_day = local.date() > today
    return rows


def _with_catch_up_items(rows: list, now, limit: int) -> None:
    """The items each catch-up row lists, all catch-ups in one query."""
    catch_ups = {r.pk: r for r in rows if r.is_catch_up}
    if not catch_ups:
        return
    items = (
        Reminder.objects.filter(catch_up__in=list(catch_ups))
        .live()
        .that_matter(now)
        .for_reading()
        .order_by("due_at", "id")
    )
    for reminder in catch_ups.values():
        reminder._catch_up_items = []
    for item in items:
        catch_ups[item.catch_up_id]._catch_up_items.append(item)
    for reminder in catch_ups.values():
        reminder.items_count = len(reminder._catch_up_items)
        reminder.items_shown = reminder._catch_up_items[:limit]


def reminders_section(user, now: datetime.datetime, show: str = "") -> Agenda:
    """Overdue, later-today and next-days reminders of the user (their own, not their team's), each
    section short unless asked for whole (`show`)."""
    today, end = day_bounds(user, now)
    everything = my_reminders(user, now)
    cadence = Q(kind=Reminder.Kind.CADENCE)
    # Calls owed by cadence are listed apart: they are not deadlines like the others.
    calls = everything.filter(cadence, due_at__lt=end)
    mine = everything.exclude(cadence)
    week_end = end + datetime.timedelta(days=COMING_DAYS)
    counts = everything.aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now) & ~cadence),
        later=Count("pk", filter=Q(due_at__gte=now, due_at__lt=end) & ~cadence),
        calls=Count("pk", filter=Q(due_at__lt=end) & cadence),
        coming=Count("pk", filter=Q(due_at__gte=end, due_at__lt=week_end) & ~cadence),
    )

    def limit(section):
        return ALL if show == section else SHORT

    agenda = Agenda(
        today=today,
        overdue=_rows(mine.filter(due_at__lt=now), user, today, limit("overdue")),
        later_today=_rows(
            mine.filter(due_at__gte=now, due_at__lt=end), user, today, limit("today")
        ),
        overdue_count=counts["overdue"],
        later_today_count=counts["later"],
        calls=_rows(calls, user, today, limit("calls")),
        calls_count=counts["calls"],
        coming=_rows(
            mine.filter(due_at__gte=end, due_at__lt=week_end), user, today, limit("coming")
        ),
        coming_count=counts["coming"],
        show=show if show in SECTIONS else "",
    )
    _with_catch_up_items(
        agenda.overdue + agenda.later_today, now, ALL if show == "catch_up" else CATCH_UP_SHOWN
    )
    if user.is_manager:
        agenda.team = team_summary(user, now, end)
        agenda.email_trouble = email_trouble(user, now)
    return agenda


EMAIL_TROUBLE_DAYS = 7


def email_trouble(manager, now: datetime.datetime) -> dict | None:
    """What a manager should know of the team's emails, in one query: those given up lately (the
    reminders are in the app, their emails never went), and a mail server down now."""
    if not manager.team_id:
        return None
    since = now - datetime.timedelta(days=EMAIL_TROUBLE_DAYS)

    def failed(model):
        rows = (
            model.objects.filter(user__team_id=OuterRef("pk"), email_failed_at__gte=since)
            .order_by()
            .values("user__team_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    outage = Outage.objects.filter(name=MAIL_SERVER, failures__gt=0)
    row = (
        Team.objects.filter(pk=manager.team_id)
        .annotate(
            notifications=failed(Notification),
            digests=failed(DigestSent),
            outage_since=Subquery(outage.values("since")[:1]),
        )
        .values("notifications", "digests", "outage_since")
        .first()
    )
    if row is None:
        return None
    count = row["notifications"] + row["digests"]
    if not count and row["outage_since"] is None:
        return None
    outage_info = {"since": row["outage_since"]} if row["outage_since"] else None
    return {"failed": count, "days": EMAIL_TROUBLE_DAYS, "outage": outage_info}


def team_summary(manager, now: datetime.datetime, end: datetime.datetime) -> list[dict]:
    """Per teammate: reminders overdue, reminders due later today, requests overdue."""
    if not manager.team_id:
        return []
    reminders = (
        Reminder.objects.visible_to(manager)
        .filter(catch_up__isnull=True)
        .live()
        .that_matter(now)
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
        .order_by("due_at", "id")[:REQUESTS_SHOWN]
    )


def clients_of_today(user, now: datetime.datetime | None = None, limit: int = 8) -> list[Client]:
    """The clients the user's day is about: their reminders due by tonight (overdue included) and
    their requests due by tonight, in the order of the portfolio."""
    now = now or timezone.now()
    _today, end = day_bounds(user, now)
    reminded = my_reminders(user, now).filter(due_at__lt=end, client__isnull=False)
    requested = ServiceRequest.objects.visible_to(user).open().filter(assignee=user, due_at__lt=end)
    return list(
        Client.objects.visible_to(user)
        .filter(Q(pk__in=reminded.values("client")) | Q(pk__in=requested.values("client")))
        .order_by("sort_name", "pk")[:limit]
    )


def agenda_for(user, now: datetime.datetime | None = None, show: str = "") -> Agenda:
    now = now or timezone.now()
    agenda = reminders_section(user, now, show)
    agenda.dates, agenda.dates_more = coming_dates(user, agenda.today)
    agenda.requests = requests_due(user, now)
    return agenda


def unread_notifications(user, now: datetime.datetime | None = None):
    """What still needs the user: unread notifications whose reminder is live and still matters."""
    live = Reminder.objects.visible_to(user, now).live().that_matter(now or timezone.now())
    return Notification.objects.filter(
        user=user, read_at__isnull=True, reminder__in=live.values("pk")
    )


def unread_count(user, cap: int = 100) -> int:
    """How many notifications still need the user, counted up to `cap` (the bell shows 99+)."""
    return unread_notifications(user)[:cap].count()

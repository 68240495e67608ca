"""The morning digest: one email per concierge (and manager) per local day, at 07:00 their time.

The beat task runs every 15 minutes; a user whose local time is between 07:00 and 11:59 and whose
local day has no `DigestSent` row gets the digest. The day is claimed first (a row inserted and
committed: the unique (user, day) makes a second worker skip), then its email is sent from that row
like a notification's (see outbox.py): composed in the reader's language when sent, outside any
transaction, under a lease, with one Message-ID per user and day, marked sent right after; a failed
send is retried with a back-off while the user's day lasts, then marked failed. A day with nothing
to say is recorded as handled, and no email goes out.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.dates import anniversaries_between
from clients.models import AnticipatedNeed, Client, ImportantDate, Interaction, Preference
from requests.models import OPEN_STATUSES, ServiceRequest, Status

from ..accounts.models import User
from . import outbox
from .models import DigestSent, Reminder
from .wording import reading_as

log = logging.getLogger(__name__)

MORNING_FROM = datetime.time(7, 0)
MORNING_UNTIL = datetime.time(12, 0)  # a digest not sent by noon (beat down all morning) is skipped
WEEK_DAYS = 7
SECTION_LINES = 10
CALL_KINDS = (Reminder.Kind.CADENCE, Reminder.Kind.FOLLOW_UP)
# Request reminders the digest says through the requests themselves.
REQUEST_KINDS = (Reminder.Kind.OVERDUE, Reminder.Kind.DUE_SOON)


@dataclass
class Group:
    """The lines of one section about one client (or about no client: `who` is empty)."""

    who: str
    address: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group]
    count: int  # everything the section is about, shown or not


@dataclass
class Digest:
    user: User
    day: datetime.date
    greeting: str
    intro: str
    needing: int  # what needs doing this morning: late, today, calls
    sections: list[Section]
    agenda_url: str


class _Grouper:
    """Collects lines, then groups them per client, clients in the order of their first line.

    A section shows its first `SECTION_LINES` lines: a briefing, not a list of everything.
    """

    def __init__(self, *, with_address: bool = False):
        self.items: list[tuple[tuple, object, Group, str]] = []
        self.with_address = with_address

    def add(self, client: Client | None, line: str, order: tuple = (), *, label: str = "") -> None:
        """A line about `client`, or, without one, under `label` (which may be empty)."""
        if client is not None:
            key = client.pk
            group = Group(
                who=client.display_name,
                address=client.form_of_address if self.with_address else "",
            )
        else:
            key, group = ("label", label), Group(who=label)
        self.items.append((order, key, group, line))

    def __len__(self) -> int:
        return len(self.items)

    def result(self) -> list[Group]:
        groups: dict[object, Group] = {}
        ordered = sorted(self.items, key=lambda item: item[0])
        for _order, key, group, line in ordered[:SECTION_LINES]:
            groups.setdefault(key, group).lines.append(line)
        result = list(groups.values())
        hidden = len(ordered) - SECTION_LINES
        if hidden > 0:
            more = ngettext(
                "… and %(count)s more in your agenda.",
                "… and %(count)s more in your agenda.",
                hidden,
            ) % {"count": hidden}
            result.append(Group(who="", lines=[more]))
        return result


# Words
def _clock(moment: datetime.datetime, tz) -> str:
    return formats.time_format(moment.astimezone(tz), "H:i")


def _weekday(day: datetime.date) -> str:
    return formats.date_format(day, "l j F")


def _late(due: datetime.datetime, tz, today: datetime.date) -> str:
    """When something overdue was due, as one says it."""
    day = due.astimezone(tz).date()
    late = (today - day).days
    if late <= 0:
        return _("at %(time)s") % {"time": _clock(due, tz)}
    if late == 1:
        return _("yesterday at %(time)s") % {"time": _clock(due, tz)}
    return ngettext("%(count)s day ago", "%(count)s days ago", late) % {"count": late}


def _in_days(days: int, day: datetime.date) -> str:
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow, %(day)s") % {"day": _weekday(day)}
    return ngettext("on %(day)s, in %(count)s day", "on %(day)s, in %(count)s days", days) % {
        "day": _weekday(day),
        "count": days,
    }


# What goes in
class _Briefing:
    def __init__(self, user: User, now: datetime.datetime):
        self.user = user
        self.now = now
        self.tz = user.tzinfo
        self.today = now.astimezone(self.tz).date()
        self.start = datetime.datetime.combine(self.today, datetime.time(), self.tz)
        self.end = datetime.datetime.combine(
            self.today + datetime.timedelta(days=1), datetime.time(), self.tz
        )
        self.overdue = _Grouper()
        self.today_items = _Grouper()
        self.calls = _Grouper(with_address=True)
        self.coming = _Grouper()
        self.careful = _Grouper()
        self.clients = Client.objects.filter(
            Q(primary_concierge=user) | Q(backup_concierge=user)
        ).exclude(status=Client.Status.FORMER)

    def build(self) -> list[Section]:
        self._reminders()
        self._requests()
        self._coming_up()
        self._careful()
        parts = [
            ("overdue", _("Before anything else"), self.overdue),
            ("today", _("Today"), self.today_items),
            ("calls", _("Calls to make"), self.calls),
            ("coming", _("Coming up this week"), self.coming),
            ("careful", _("Be careful today"), self.careful),
        ]
        return [
            Section(key, title, lines.result(), len(lines)) for key, title, lines in parts if lines
        ]

    # Reminders
    def _reminders(self) -> None:
        # Items listed in a catch-up are said once, through it.
        reminders = list(
            Reminder.objects.filter(owner=self.user, due_at__lt=self.end, catch_up__isnull=True)
            .live()
            .that_matter(self.now)
            .exclude(kind__in=REQUEST_KINDS)
            .for_reading()
            .order_by("due_at", "id")
        )
        calls = [r.client_id for r in reminders if r.kind == Reminder.Kind.CADENCE and r.client_id]
        last_contact = dict(
            Client.objects.filter(pk__in=calls)
            .annotate(
                last=Max(
                    "interactions__occurred_at",
                    filter=Q(interactions__channel__in=Interaction.CONTACT_CHANNELS),
                )
            )
            .values_list("pk", "last")
        )
        for reminder in reminders:
            if reminder.kind in CALL_KINDS:
                self.calls.add(
                    reminder.client, self._call(reminder, last_contact), (reminder.due_at,)
                )
                continue
            what = self._reminder_words(reminder)
            if reminder.due_at < self.start:
                line = _("%(what)s (due %(when)s)") % {
                    "what": what,
                    "when": _late(reminder.due_at, self.tz, self.today),
                }
                self.overdue.add(reminder.client, line, (reminder.due_at,))
            else:
                line = _("%(time)s · %(what)s") % {
                    "time": _clock(reminder.due_at, self.tz),
                    "what": what,
                }
                self.today_items.add(reminder.client, line, (reminder.due_at,))

    def _reminder_words(self, reminder) -> str:
        sr = reminder.service_request
        date, need = reminder.important_date, reminder.anticipated_need
        if date is not None:
            occurrence = date.next_occurrence(self.today - datetime.timedelta(days=1))
            if occurrence is not None:
                days = (occurrence - self.today).days
                return _("%(what)s %(when)s: time to plan the gift, the flowers or the call") % {
                    "what": date.title,
                    "when": _in_days(days, occurrence),
                }
        if need is not None:
            return _("Propose “%(need)s” before they ask (%(day)s)") % {
                "need": need.title,
                "day": _weekday(need.next_on),
            }
        if reminder.kind == Reminder.Kind.NOT_ACKNOWLEDGED and sr is not None:
            return _("Acknowledge “%(title)s”") % {"title": sr.title}
        return reminder.title

    def _call(self, reminder, last_contact) -> str:
        client, sr = reminder.client, reminder.service_request
        if reminder.kind == Reminder.Kind.FOLLOW_UP and sr is not None:
            line = _("Ask how “%(title)s” went") % {"title": sr.title}
        else:
            last = last_contact.get(reminder.client_id) or (client.created_at if client else None)
            if last is None:
                return reminder.title
            days = (self.today - last.astimezone(self.tz).date()).days
            line = ngettext("No news for %(count)s day", "No news for %(count)s days", days) % {
                "count": days
            }
        return line

    # Requests
    def _requests(self) -> None:
        user = self.user
        mine = ServiceRequest.objects.filter(assignee=user)
        overdue_scope = ServiceRequest.objects.visible_to(user) if user.is_manager else mine
        overdue = (
            overdue_scope.filter(status__in=OPEN_STATUSES, due_at__lt=self.now)
            .select_related("client", "assignee")
            .order_by("due_at", "id")
        )
        team: dict[object, list[ServiceRequest]] = {}
        for sr in overdue:
            if sr.assignee_id != user.pk:
                team.setdefault(sr.assignee, []).append(sr)  # a manager hears of the team's
                continue
            line = _("“%(title)s” was due %(when)s (%(status)s)") % {
                "title": sr.title,
                "when": _late(sr.due_at, self.tz, self.today),
                "status": sr.get_status_display().lower(),
            }
            self.overdue.add(sr.client, line, (sr.due_at,))
        for assignee, late in team.items():
            oldest = late[0]
            line = ngettext(
                "%(who)s: %(count)s request late, “%(title)s” for %(client)s, due %(when)s",
                "%(who)s: %(count)s requests late, the oldest “%(title)s” for %(client)s, "
                "due %(when)s",
                len(late),
            ) % {
                "who": assignee.display_name if assignee else _("Nobody yet"),
                "count": len(late),
                "title": oldest.title,
                "client": oldest.client.display_name,
                "when": _late(oldest.due_at, self.tz, self.today),
            }
            self.overdue.add(None, line, (oldest.due_at,), label=_("Your team"))

        today = (
            mine.filter(
                Q(status__in=OPEN_STATUSES, due_at__gte=self.now, due_at__lt=self.end)
                | Q(event_at__gte=self.start, event_at__lt=self.end)
            )
            .exclude(status=Status.CANCELLED)
            .select_related("client")
        )
        for sr in today:
            if sr.event_at and self.start <= sr.event_at < self.end:
                line = _("%(time)s · “%(title)s” takes place") % {
                    "time": _clock(sr.event_at, self.tz),
                    "title": sr.title,
                }
                self.today_items.add(sr.client, line, (sr.event_at,))
            if sr.is_open and sr.due_at and self.now <= sr.due_at < self.end:
                line = _("%(time)s · “%(title)s” is due") % {
                    "time": _clock(sr.due_at, self.tz),
                    "title": sr.title,
                }
                self.today_items.add(sr.client, line, (sr.due_at,))

    # This week
    def _coming_up(self) -> None:
        last = self.today + datetime.timedelta(days=WEEK_DAYS)
        items: list[tuple[datetime.date, Client, str]] = []
        dates = ImportantDate.objects.filter(client__in=self.clients).filter(
            anniversaries_between(self.today, last)
        )
        for item in dates.select_related("client", "relation"):
            occurrence = item.next_occurrence(self.today)
            if occurrence is None or occurrence > last:
                continue
            line = _("%(what)s %(when)s") % {
                "what": item.title,
                "when": _in_days((occurrence - self.today).days, occurrence),
            }
            years = item.age_at_next(self.today)
            if years and item.kind == ImportantDate.Kind.BIRTHDAY:
                line += " · " + _("turns %(age)s") % {"age": years}
            elif years:
                line += " · " + ngettext("%(count)s year", "%(count)s years", years) % {
                    "count": years
                }
            items.append((occurrence, item.client, line))
        needs = AnticipatedNeed.objects.filter(
            client__in=self.clients,
            state=AnticipatedNeed.State.ACTIVE,
            next_on__gte=self.today,
            next_on__lte=last,
        ).select_related("client")
        for need in needs:
            line = _("%(what)s %(when)s") % {
                "what": need.title,
                "when": _in_days((need.next_on - self.today).days, need.next_on),
            }
            items.append((need.next_on, need.client, line))
        for day, client, line in items:
            self.coming.add(client, line, (day, client.pk))

    # Allergies
    def _careful(self) -> None:
        busy = (
            ServiceRequest.objects.filter(Q(assignee=self.user) | Q(client__in=self.clients))
            .filter(
                Q(event_at__gte=self.start, event_at__lt=self.end)
                | Q(due_at__gte=self.start, due_at__lt=self.end)
            )
            .exclude(status=Status.CANCELLED)
            .values_list("client_id", flat=True)
        )
        prefs = (
            Preference.objects.filter(client_id__in=busy, kind__in=Preference.HARD_KINDS)
            .select_related("client", "relation")
            .order_by("client__last_name", "client_id", "kind", "id")
        )
        for pref in prefs:
            line = _("%(kind)s: %(detail)s") % {
                "kind": pref.get_kind_display(),
                "detail": pref.detail,
            }
            if pref.relation_id:
                line += f" ({pref.relation.name})"
            if pref.severity == Preference.Severity.CRITICAL:
                line += " · " + _("critical")
            # Clients with a critical allergy first: if the list is cut, they are what stays.
            first = pref.severity != Preference.Severity.CRITICAL
            self.careful.add(pref.client, line, (first, pref.client.last_name, pref.client_id))


def _needing(sections: list[Section]) -> int:
    return sum(s.count for s in sections if s.key in ("overdue", "today", "calls"))


def _intro(sections: list[Section]) -> str:
    needing = _needing(sections)
    if not needing:
        return _("Nothing needs you this morning. Here is what is coming.")
    intro = ngettext(
        "%(count)s thing needs you this morning.",
        "%(count)s things need you this morning.",
        needing,
    ) % {"count": needing}
    overdue = sum(s.count for s in sections if s.key == "overdue")
    if overdue and overdue == needing:
        intro += " " + ngettext("It is late.", "All of them are late.", overdue)
    elif overdue:
        intro += " " + ngettext(
            "%(count)s of them is late.", "%(count)s of them are late.", overdue
        ) % {"count": overdue}
    return intro


def build_digest(user: User, now: datetime.datetime | None = None) -> Digest | None:
    """The user's morning briefing, or None when there is nothing at all to say."""
    now = now or timezone.now()
    sections = _Briefing(user, now).build()
    if not sections:
        return None
    return Digest(
        user=user,
        day=now.astimezone(user.tzinfo).date(),
        greeting=_("Good morning, %(name)s.") % {"name": user.first_name or user.username},
        intro=_intro(sections),
        needing=_needing(sections),
        sections=sections,
        agenda_url=settings.SITE_URL.rstrip("/") + reverse("agenda"),
    )


def _message(digest: Digest) -> EmailMultiAlternatives:
    context = {"digest": digest, "day": _weekday(digest.day)}
    subject = " ".join(render_to_string("concierge/email/digest-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("concierge/email/digest.txt", context),
        to=[digest.user.email],
        headers={
            "Message-ID": outbox.message_id("digest", f"{digest.user.pk}-{digest.day.isoformat()}")
        },
    )
    message.attach_alternative(
        render_to_string("concierge/email/digest.html", context), "text/html"
    )
    return message


def _compose(claim: DigestSent, now: datetime.datetime) -> EmailMultiAlternatives:
    """The digest of the claimed day, composed now; not sent once the user's day is over."""
    user = claim.user
    if not user.email or not user.is_active:
        raise outbox.Skip
    if now.astimezone(user.tzinfo).date() != claim.day:
        raise outbox.GiveUp("the day of this digest is over")
    with reading_as(user):
        digest = build_digest(user, now)
        if digest is None:
            raise outbox.Skip
        return _message(digest)


def send_digest(*, user: User, day: datetime.date, now: datetime.datetime) -> bool:
    """Claim the user's day (committed), then compose and send outside any transaction; False if the
    day was already claimed, there is nothing to say, or the send failed (it is tried again)."""
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(user=user, day=day, sent_at=now, next_attempt_at=now)
    except IntegrityError:
        return False  # another run has this day
    return outbox.send_one(claim.pk, DigestSent, _compose, related=["user"], now=now)


def in_the_morning(user: User, now: datetime.datetime) -> datetime.date | None:
    """The user's local day if it is digest time for them, else None."""
    local = now.astimezone(user.tzinfo)
    return local.date() if MORNING_FROM <= local.time() < MORNING_UNTIL else None


def recipients() -> Iterable[User]:
    return User.objects.filter(is_active=True).exclude(email="").order_by("pk")


def send_morning_digests(now: datetime.datetime | None = None) -> int:
    """Send the digests whose time has come and that have not been sent; returns how many went."""
    now = now or timezone.now()
    around = [now.date() + datetime.timedelta(days=d) for d in (-1, 0, 1)]
    handled = set(DigestSent.objects.filter(day__in=around).values_list("user_id", "day"))
    sent = 0
    for user in recipients():
        day = in_the_morning(user, now)
        if day is None or (user.pk, day) in handled:
            continue
        try:
            sent += send_digest(user=user, day=day, now=now)
        except Exception:
            log.warning("morning digest for user %s failed", user.pk, exc_info=True)
    # Those claimed earlier and not sent yet (a failed send, a sender that died), oldest first.
    return sent + outbox.send_due(
        DigestSent, _compose, since_field="sent_at", related=["user"], now=now
    )

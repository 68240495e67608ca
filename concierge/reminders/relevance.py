"""Whether a reminder still matters: the one rule that the sweep (closing what is settled), the
delivery, the agenda, the digest, the calendar feed and the cadence settling all apply.

It is a test (a CASE on the kind) over the reminder's explicit subject (never its dedupe key), so a
whole batch is judged in one query: `Reminder.objects.filter(...).that_matter(now)`.
"""

import datetime
import json

from django.db import connections
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractDay, ExtractMonth

from clients.models import AnticipatedNeed, Client, Interaction
from requests.models import OPEN_STATUSES, Feedback, Status, VendorUse

from .models import LIVE_STATES, Reminder

Kind = Reminder.Kind


def _date_still_falls_on_occurrence() -> Q:
    """The important date (yearly or one-off) still falls on the occurrence the reminder is for."""
    month_day = ExtractMonth("occurrence") * 100 + ExtractDay("occurrence")
    return (
        Q(important_date__yearly=True, important_date__month_day=month_day)
        # 29 February is celebrated on the 28th in common years.
        | Q(important_date__yearly=True, important_date__month_day=229, occurrence__month=2)
        | Q(important_date__yearly=False, important_date__date=F("occurrence"))
    )


def _yesterday(now: datetime.datetime) -> datetime.date:
    # A date reminder matters until the day after its occurrence.
    return (now - datetime.timedelta(days=1)).date()


def subject_matters_by_kind(now: datetime.datetime) -> dict[str, Q]:
    """Per kind, the reason for the reminder (without the catch-up, which is about the others):
    the one definition, that `subject_matters` and `matters` turn into a test."""
    yesterday = _yesterday(now)
    open_request = Q(service_request__status__in=OPEN_STATUSES)
    same_due = Q(service_request__due_at=F("for_due_at"))
    no_feedback = ~Exists(Feedback.objects.filter(service_request=OuterRef("service_request")))
    called_since = Exists(
        Interaction.objects.filter(
            client=OuterRef("client"),
            occurred_at__gte=OuterRef("created_at"),
            channel__in=Interaction.CONTACT_CHANNELS,
        )
    )
    return {
        Kind.MANUAL: Q(),
        Kind.NOT_ACKNOWLEDGED: Q(service_request__status=Status.NEW),
        # Due soon means before the due moment; from then on it is the overdue prompt's job.
        Kind.DUE_SOON: Q(for_due_at__gt=now) & open_request & same_due,
        Kind.OVERDUE: open_request & same_due,
        Kind.FOLLOW_UP: Q(service_request__status=Status.FULFILLED) & no_feedback,
        Kind.EXPIRY: Q(
            vendor_use__stage__in=[VendorUse.Stage.QUOTED, VendorUse.Stage.HELD],
            vendor_use__expires_at=F("for_due_at"),
            service_request__status__in=OPEN_STATUSES,
        ),
        Kind.IMPORTANT_DATE: Q(occurrence__gte=yesterday) & _date_still_falls_on_occurrence(),
        Kind.ANTICIPATED_NEED: Q(
            anticipated_need__state=AnticipatedNeed.State.ACTIVE,
            anticipated_need__next_on=F("occurrence"),
        ),
        Kind.CADENCE: Q(client__status=Client.Status.ACTIVE) & ~called_since,
        # A handover matters while the client is still the owner's.
        Kind.HANDOVER: Q(client__primary_concierge=F("owner")),
    }


def _by_kind(reasons: dict[str, Q]) -> Case:
    # One CASE on the kind, not an OR of every kind: the planner would try each arm of an OR on
    # every index of the table (tens of ms of planning per query); a CASE it evaluates per row.
    return Case(
        *(When(Q(kind=kind) & why, then=Value(True)) for kind, why in reasons.items()),
        default=Value(False),
        output_field=BooleanField(),
    )


def subject_matters(now: datetime.datetime) -> Case:
    """Whether the reason is still there (without the catch-up, which is about the others)."""
    return _by_kind(subject_matters_by_kind(now))


def matters(now: datetime.datetime) -> Case:
    """A catch-up matters while one of the items it lists is live and matters."""
    items = Reminder.objects.filter(catch_up=OuterRef("pk"), state__in=LIVE_STATES).filter(
        subject_matters(now)
    )
    return _by_kind({**subject_matters_by_kind(now), Kind.CATCH_UP: Q(Exists(items))})


def still_matters(reminder_ids, now: datetime.datetime) -> set[int]:
    """Of these reminders, the ids of those that still matter (one query)."""
    return set(
        Reminder.objects.filter(pk__in=list(reminder_ids))
        .that_matter(now)
        .values_list("pk", flat=True)
    )


# The subject's test over a list of ids, compiled once per process and database and then run with
# fresh values: building and compiling the CASE costs some 25,000 Python calls (milliseconds) each
# time, and its SQL never changes. Compiled with markers in place of the values it depends on.
_MARK_NOW = datetime.datetime(1999, 12, 31, 23, 59, 58, 123457, tzinfo=datetime.UTC)
_MARK_IDS = ["ids"]
# The ids as one parameter (however many there are, the SQL stays the same).
_IDS_SQL = {
    "postgresql": "SELECT unnest(%s::bigint[])",
    "sqlite": "SELECT value FROM json_each(%s)",
}
_compiled: dict[str, tuple[str, list]] = {}


def _compile(alias: str) -> tuple[str, list]:
    connection = connections[alias]
    rows = (
        Reminder.objects.using(alias)
        .filter(pk__in=RawSQL(_IDS_SQL[connection.vendor], [_MARK_IDS]))
        .live()
        .filter(subject_matters(_MARK_NOW))
        .order_by()
        .values_list("pk", flat=True)
    )
    sql, params = rows.query.get_compiler(using=alias).as_sql()
    marks = {
        "now": connection.ops.adapt_datetimefield_value(_MARK_NOW),
        "yesterday": connection.ops.adapt_datefield_value(_yesterday(_MARK_NOW)),
    }
    slots = []
    for param in params:
        if param is _MARK_IDS:
            slots.append(("ids", None))
        else:
            name = next(
                (n for n, mark in marks.items() if type(param) is type(mark) and param == mark),
                None,
            )
            slots.append((name, None) if name else ("value", param))
    found = [name for name, _value in slots]
    if found.count("ids") != 1 or "now" not in found or "yesterday" not in found:
        raise RuntimeError("the subject's test no longer compiles around its markers")
    return sql, slots


def subjects_that_matter(ids, now: datetime.datetime, using: str = "default") -> set[int]:
    """Of these reminders, the ids of those live whose subject still matters (one query; the same
    answer as `Reminder.objects.filter(pk__in=ids).live().that_matter(now, catch_ups=False)`)."""
    ids = sorted(set(ids))
    if not ids:
        return set()
    compiled = _compiled.get(using)
    if compiled is None:
        compiled = _compiled[using] = _compile(using)
    sql, slots = compiled
    connection = connections[using]
    values = {
        "ids": ids if connection.vendor == "postgresql" else json.dumps(ids),
        "now": connection.ops.adapt_datetimefield_value(now),
        "yesterday": connection.ops.adapt_datefield_value(_yesterday(now)),
    }
    params = [value if name == "value" else values[name] for name, value in slots]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}

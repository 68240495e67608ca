"""Whether a reminder still matters: the one rule that the sweep (closing what is settled), the
delivery, the agenda, the digest, the calendar feed and the cadence settling all apply.

It is a test (a CASE on the kind) over the reminder's explicit subject (never its dedupe key), so a
whole batch is judged in one query: `Reminder.objects.filter(...).that_matter(now)`.
"""

import datetime

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth
from django.db.models.lookups import IsNull

from clients.models import AnticipatedNeed, Client, Interaction
from concierge.common import compiled
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


def day_before(now: datetime.datetime) -> datetime.date:
    # A date reminder matters until the day after its occurrence.
    return (now - datetime.timedelta(days=1)).date()


def subject_matters_by_kind(
    now: datetime.datetime, yesterday=None, *, few_rows: bool = False
) -> dict[str, Q]:
    """Per kind, the reason for the reminder (without the catch-up, which is about the others):
    the one definition, that `subject_matters` and `matters` turn into a test. `few_rows`: for a
    test of a few hundred rows, the feedback is looked up by key for each row that asks."""
    yesterday = yesterday or day_before(now)
    open_request = Q(service_request__status__in=OPEN_STATUSES)
    same_due = Q(service_request__due_at=F("for_due_at"))
    feedback = Feedback.objects.filter(service_request=OuterRef("service_request"))
    if few_rows:
        # A value, not EXISTS: the planner hashes every feedback row for an EXISTS (1-2 ms on each
        # agenda at 10,000 feedbacks) where a handful of follow-ups ask.
        no_feedback = IsNull(Subquery(feedback.values("pk")[:1]), True)
    else:
        no_feedback = ~Exists(feedback)
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
    return _by_kind(_reasons(now, set(Kind)))


def _reasons(
    now: datetime.datetime, kinds: set[str], yesterday=None, *, few_rows: bool = False
) -> dict[str, Q]:
    """The reasons of these kinds, a catch-up's (over its items) among them."""
    by_kind = subject_matters_by_kind(now, yesterday, few_rows=few_rows)
    reasons = {k: why for k, why in by_kind.items() if k in kinds}
    if Kind.CATCH_UP in kinds:
        items = Reminder.objects.filter(catch_up=OuterRef("pk"), state__in=LIVE_STATES).filter(
            _by_kind(by_kind)
        )
        if few_rows:
            # Its first item that matters, in due order from the index of a catch-up's items: the
            # planner walked an EXISTS over another index of the whole table (a merge join).
            first = items.order_by("due_at", "id").values("pk")[:1]
            reasons[Kind.CATCH_UP] = IsNull(Subquery(first), False)
        else:
            reasons[Kind.CATCH_UP] = Q(Exists(items))
    return reasons


def still_matters(reminders: list[Reminder], now: datetime.datetime) -> set[int]:
    """Of these reminders (their kind read), the ids of those that still matter: one query that
    tests only the kinds present, or none when each is of a kind that always matters (a manual
    prompt's reason is the prompt itself)."""
    reasons = _reasons(now, {r.kind for r in reminders})
    matter = {r.pk for r in reminders if r.kind in reasons and not reasons[r.kind]}
    tested = {k: why for k, why in reasons.items() if why}
    asked = [r.pk for r in reminders if r.kind in tested]
    if asked:
        matter |= set(
            Reminder.objects.filter(pk__in=asked)
            .filter(_by_kind(tested))
            .values_list("pk", flat=True)
        )
    return matter


def subject_test(now: datetime.datetime, yesterday: datetime.date) -> Case:
    """`subject_matters` with the day before `now` given apart: a query compiled once (see
    concierge.common.compiled) takes both as values of their own."""
    return _by_kind(subject_matters_by_kind(now, yesterday, few_rows=True))


def test(now: datetime.datetime, yesterday: datetime.date) -> Case:
    """`matters` (a catch-up's reason among them) for a few rows looked up by key, with the day
    before `now` given apart, as `subject_test`: a query compiled once takes both as values."""
    return _by_kind(_reasons(now, set(Kind), yesterday, few_rows=True))


# Which values the reasons of a kind read (the others read only the rows' own columns).
_READ_NOW = {Kind.DUE_SOON, Kind.CATCH_UP}
_READ_YESTERDAY = {Kind.IMPORTANT_DATE, Kind.CATCH_UP}


def _settled(kinds, now, yesterday, using="default", **within):
    return (
        Reminder.objects.using(using)
        .live()
        .filter(kind__in=kinds, **within)
        .annotate(still_matters=_by_kind(_reasons(now, set(kinds), yesterday)))
        .filter(still_matters=False)
        .order_by()
        .values_list("pk")
    )


def settled_of_kinds(kinds, now: datetime.datetime, using: str = "default", **within) -> list[int]:
    """The ids of the live reminders of these kinds whose reason is gone: the answer of
    `Reminder.objects.live().filter(kind__in=kinds, **within).exclude(<that_matter(now)>)`, joining
    only the tables these kinds' reasons read; without `within`, compiled once per process for
    each group of kinds (the settling of every sweep: some 50,000 Python calls to build)."""
    kinds = sorted(kinds)
    yesterday = day_before(now)
    if within:
        return [pk for (pk,) in _settled(kinds, now, yesterday, using, **within)]
    values = {}
    if _READ_NOW & set(kinds):
        values["now"] = now
    if _READ_YESTERDAY & set(kinds):
        values["yesterday"] = yesterday

    def build(now=now, yesterday=yesterday):
        return _settled(kinds, now, yesterday, using)

    found = compiled.rows(("settled-of-kinds", *kinds), build, values, using)
    return [pk for (pk,) in found]

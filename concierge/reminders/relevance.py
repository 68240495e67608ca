"""Whether a reminder still matters: the one rule that the sweep (closing what is settled), the
delivery, the agenda, the digest, the calendar feed and the cadence settling all apply.

It is a `Q` over the reminder's explicit subject (never its dedupe key), so a whole batch is judged in
one query: `Reminder.objects.filter(...).that_matter(now)`.
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q
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


def subject_matters(now: datetime.datetime) -> Q:
    """Per kind, the reason for the reminder (without the catch-up, which is about the others)."""
    yesterday = (now - datetime.timedelta(days=1)).date()
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
    return (
        Q(kind=Kind.MANUAL)
        | Q(kind=Kind.NOT_ACKNOWLEDGED, service_request__status=Status.NEW)
        # Due soon means before the due moment; from then on it is the overdue prompt's job.
        | Q(kind=Kind.DUE_SOON, for_due_at__gt=now) & open_request & same_due
        | Q(kind=Kind.OVERDUE) & open_request & same_due
        | Q(kind=Kind.FOLLOW_UP, service_request__status=Status.FULFILLED) & no_feedback
        | Q(
            kind=Kind.EXPIRY,
            vendor_use__stage__in=[VendorUse.Stage.QUOTED, VendorUse.Stage.HELD],
            vendor_use__expires_at=F("for_due_at"),
            service_request__status__in=OPEN_STATUSES,
        )
        | Q(kind=Kind.IMPORTANT_DATE, occurrence__gte=yesterday) & _date_still_falls_on_occurrence()
        | Q(
            kind=Kind.ANTICIPATED_NEED,
            anticipated_need__state=AnticipatedNeed.State.ACTIVE,
            anticipated_need__next_on=F("occurrence"),
        )
        | Q(kind=Kind.CADENCE, client__status=Client.Status.ACTIVE) & ~called_since
        # A handover matters while the client is still the owner's.
        | Q(kind=Kind.HANDOVER, client__primary_concierge=F("owner"))
    )


def matters(now: datetime.datetime) -> Q:
    """A catch-up matters while one of the items it lists is live and matters."""
    items = Reminder.objects.filter(catch_up=OuterRef("pk"), state__in=LIVE_STATES).filter(
        subject_matters(now)
    )
    return subject_matters(now) | Q(kind=Kind.CATCH_UP) & Exists(items)


def still_matters(reminder_ids, now: datetime.datetime) -> set[int]:
    """Of these reminders, the ids of those that still matter (one query)."""
    return set(
        Reminder.objects.filter(pk__in=list(reminder_ids))
        .that_matter(now)
        .values_list("pk", flat=True)
    )

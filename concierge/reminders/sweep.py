"""The reminder sweep: find what is coming within the horizon and create each reminder once.

Every reminder carries a `dedupe_key` naming what it is about and for which occurrence; the key is
UNIQUE, so a second sweep, or two sweeps at once on different workers, create nothing more. No
reminder is an ETA task: what the sweep finds is a row, and a row is not lost when a worker dies.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.dates import anniversaries_between, local_moment
from clients.models import AnticipatedNeed, Client, ImportantDate, Interaction
from requests.models import OPEN_STATUSES, ServiceRequest, Status, VendorUse
from requests.sla import DUE_SOON

from .models import Reminder
from .policies import tier_policies

EXPIRY_WARNING = datetime.timedelta(hours=2)
BATCH = 1000


def horizon() -> datetime.timedelta:
    return datetime.timedelta(hours=getattr(settings, "REMINDER_HORIZON_HOURS", 36))


def owner_of(client: Client):
    return client.primary_concierge or client.backup_concierge


def important_date_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    policies = tier_policies()
    longest = max(
        [p.birthday_lead_days for p in policies.values()]
        + [p.date_lead_days for p in policies.values()]
        + [14]
    )
    today = now.date()
    dates = (
        ImportantDate.objects.filter(
            anniversaries_between(
                today - datetime.timedelta(days=1), today + datetime.timedelta(days=longest + 2)
            )
        )
        .filter(
            Q(client__primary_concierge__isnull=False) | Q(client__backup_concierge__isnull=False)
        )
        .select_related("client__primary_concierge", "client__backup_concierge", "relation")
    )
    for item in dates.iterator(chunk_size=BATCH):
        client = item.client
        owner = owner_of(client)
        local_today = now.astimezone(owner.tzinfo).date()
        occurrence = item.next_occurrence(local_today)
        if occurrence is None:
            continue
        policy = policies[client.tier]
        lead = (
            policy.birthday_lead_days
            if item.kind == ImportantDate.Kind.BIRTHDAY
            else policy.date_lead_days
        )
        due = local_moment(occurrence - datetime.timedelta(days=lead), owner.tzinfo)
        if due > now + horizon():
            continue
        # A date learned after its prompt time prompts now, not as "overdue since" a day we never saw.
        due = max(due, now)
        whose = item.relation.name if item.relation_id else client.display_name
        title = _("%(what)s of %(whose)s on %(day)s") % {
            "what": item.label or item.get_kind_display(),
            "whose": whose,
            "day": occurrence.strftime("%d/%m"),
        }
        yield Reminder(
            owner=owner,
            client=client,
            kind=Reminder.Kind.IMPORTANT_DATE,
            title=title,
            body=_("In %(days)s days. Time to plan the gift, the flowers or the call.")
            % {"days": (occurrence - local_today).days},
            due_at=due,
            dedupe_key=f"date:{item.pk}:{occurrence.isoformat()}",
        )


def anticipated_need_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    soon = (now + horizon()).date() + datetime.timedelta(days=1)
    needs = AnticipatedNeed.objects.filter(
        state=AnticipatedNeed.State.ACTIVE, remind_on__lte=soon
    ).select_related("client__primary_concierge", "client__backup_concierge")
    for need in needs.iterator(chunk_size=BATCH):
        owner = owner_of(need.client)
        if owner is None:
            continue
        local_today = now.astimezone(owner.tzinfo).date()
        if need.next_on < local_today:
            _roll_forward(need, local_today)
            continue
        due = local_moment(need.remind_on, owner.tzinfo)
        if due > now + horizon():
            continue
        due = max(due, now)
        yield Reminder(
            owner=owner,
            client=need.client,
            kind=Reminder.Kind.ANTICIPATED_NEED,
            title=_("%(client)s: %(need)s (%(day)s)")
            % {
                "client": need.client.display_name,
                "need": need.title,
                "day": need.next_on.strftime("%d/%m"),
            },
            body=_("Anticipate it: propose it to the client before they ask."),
            due_at=due,
            dedupe_key=f"need:{need.pk}:{need.next_on.isoformat()}",
        )


def _roll_forward(need: AnticipatedNeed, today: datetime.date) -> None:
    following = need.following(today - datetime.timedelta(days=1))
    if following is None:
        need.state = AnticipatedNeed.State.DONE
        need.save(update_fields=["state"])
    else:
        need.next_on = following
        need.save(update_fields=["next_on"])


def request_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    policies = tier_policies()
    until = now + horizon()
    requests = ServiceRequest.objects.select_related("client", "assignee").filter(
        assignee__isnull=False
    )

    for sr in requests.filter(status=Status.NEW, acknowledge_by__lte=until):
        yield _request_reminder(
            sr,
            Reminder.Kind.NOT_ACKNOWLEDGED,
            sr.acknowledge_by,
            f"ack:{sr.pk}",
            _("Acknowledge “%(title)s” for %(client)s"),
        )
    open_requests = requests.filter(status__in=OPEN_STATUSES, due_at__isnull=False)
    for sr in open_requests.filter(due_at__lte=until + DUE_SOON):
        stamp = sr.due_at.strftime("%Y%m%d%H%M")
        yield _request_reminder(
            sr,
            Reminder.Kind.DUE_SOON,
            sr.due_at - DUE_SOON,
            f"duesoon:{sr.pk}:{stamp}",
            _("“%(title)s” for %(client)s is due within 24 hours"),
        )
        if sr.due_at <= until:
            yield _request_reminder(
                sr,
                Reminder.Kind.OVERDUE,
                sr.due_at,
                f"overdue:{sr.pk}:{stamp}",
                _("“%(title)s” for %(client)s is overdue"),
            )
    for sr in requests.filter(
        status=Status.FULFILLED, feedback__isnull=True, fulfilled_at__isnull=False
    ):
        due = sr.fulfilled_at + datetime.timedelta(hours=policies[sr.client.tier].follow_up_hours)
        if due <= until:
            yield _request_reminder(
                sr,
                Reminder.Kind.FOLLOW_UP,
                due,
                f"followup:{sr.pk}",
                _("Call %(client)s: how was “%(title)s”?"),
            )
    expiring = VendorUse.objects.filter(
        stage__in=[VendorUse.Stage.QUOTED, VendorUse.Stage.HELD],
        expires_at__lte=until + EXPIRY_WARNING,
        expires_at__gt=now - datetime.timedelta(days=1),
        service_request__status__in=OPEN_STATUSES,
        service_request__assignee__isnull=False,
    ).select_related("vendor", "service_request__client", "service_request__assignee")
    for use in expiring:
        sr = use.service_request
        reminder = _request_reminder(
            sr,
            Reminder.Kind.EXPIRY,
            use.expires_at - EXPIRY_WARNING,
            f"expiry:{use.pk}:{use.expires_at.strftime('%Y%m%d%H%M')}",
            _("The %(stage)s at %(vendor)s for “%(title)s” lapses soon"),
            stage=use.get_stage_display().lower(),
            vendor=use.vendor.name,
        )
        yield reminder


def _request_reminder(sr, kind, due, key, title, **extra) -> Reminder:
    return Reminder(
        owner=sr.assignee,
        client=sr.client,
        service_request=sr,
        kind=kind,
        title=title % {"title": sr.title, "client": sr.client.display_name, **extra},
        due_at=due,
        dedupe_key=key,
    )


CADENCE_OPEN_LIMIT = 10  # calls owed at once per concierge: more come as these are made


def cadence_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    """Clients not contacted within their tier's cadence, longest silence first, a few at a time."""
    policies = tier_policies()
    owed = dict(
        Reminder.objects.live()
        .filter(kind=Reminder.Kind.CADENCE)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )
    reminded = set(
        Reminder.objects.filter(kind=Reminder.Kind.CADENCE).values_list("dedupe_key", flat=True)
    )
    for tier, _label in Client.Tier.choices:
        cutoff = now - datetime.timedelta(days=policies[tier].contact_cadence_days)
        quiet = (
            Client.objects.filter(tier=tier, status=Client.Status.ACTIVE)
            .filter(Q(primary_concierge__isnull=False) | Q(backup_concierge__isnull=False))
            .annotate(last_contact=Max("interactions__occurred_at"))
            .filter(
                Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True, created_at__lt=cutoff)
            )
            .select_related("primary_concierge", "backup_concierge")
            .order_by(F("last_contact").asc(nulls_first=True), "pk")
        )
        for client in quiet.iterator(chunk_size=BATCH):
            last = client.last_contact
            owner = owner_of(client)
            key = f"cadence:{client.pk}:{(last or client.created_at).date().isoformat()}"
            # A silence already reminded of (even dismissed) takes no place in the calls owed.
            if key in reminded or owed.get(owner.pk, 0) >= CADENCE_OPEN_LIMIT:
                continue
            owed[owner.pk] = owed.get(owner.pk, 0) + 1
            yield Reminder(
                owner=owner,
                client=client,
                kind=Reminder.Kind.CADENCE,
                title=_("Call %(client)s: no contact for %(days)s days")
                % {
                    "client": client.display_name,
                    "days": (now - (last or client.created_at)).days,
                },
                due_at=now,
                dedupe_key=key,
            )


def save_new(reminders: Iterable[Reminder]) -> int:
    """Insert the reminders whose key is new; a key already there (from any sweep) is skipped."""
    created = 0
    batch: list[Reminder] = []
    for reminder in reminders:
        batch.append(reminder)
        if len(batch) >= BATCH:
            created += _insert(batch)
            batch = []
    if batch:
        created += _insert(batch)
    return created


def _insert(batch: list[Reminder]) -> int:
    keys = [r.dedupe_key for r in batch]
    existing = set(
        Reminder.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    fresh = {r.dedupe_key: r for r in batch if r.dedupe_key not in existing}
    # ignore_conflicts: a parallel sweep may insert the same key between our read and our write.
    Reminder.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh)


def close_settled(now: datetime.datetime) -> int:
    """Close the system reminders whose reason is gone (acknowledged, delivered, released…)."""
    live = Reminder.objects.live()
    settled = (
        Q(kind=Reminder.Kind.NOT_ACKNOWLEDGED) & ~Q(service_request__status=Status.NEW)
        | Q(kind__in=[Reminder.Kind.DUE_SOON, Reminder.Kind.OVERDUE])
        & ~Q(service_request__status__in=OPEN_STATUSES)
        | Q(kind=Reminder.Kind.FOLLOW_UP, service_request__feedback__isnull=False)
        | Q(kind=Reminder.Kind.CADENCE)
        & Exists(
            Interaction.objects.filter(
                client=OuterRef("client"), occurred_at__gt=OuterRef("created_at")
            )
        )
    )
    return live.filter(settled).update(state=Reminder.State.DONE, closed_at=now)


def sweep(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    close_settled(now)
    created = 0
    for source in (important_date_reminders, anticipated_need_reminders, request_reminders):
        with transaction.atomic():
            created += save_new(source(now))
    return created


def sweep_cadence(now: datetime.datetime | None = None) -> int:
    return save_new(cadence_reminders(now or timezone.now()))

"""The reminder sweep: find what is coming within the horizon and create each reminder once.

Every reminder names its subject (an important date, a need, a request, a vendor hold, a client) and
the occurrence or due moment it was made for. Its `dedupe_key` is only a UNIQUE guard, so a second
sweep, or two sweeps at once on different workers, create nothing more; a partial unique index keeps
one live prompt per subject and purpose, and a newer stage (overdue after due soon) replaces the
older one in the same transaction. What was already late by more than the grace period when the sweep
first saw it is not sent one by one: it is listed in one "to catch up" prompt per concierge.
No reminder is an ETA task: what the sweep finds is a row, and a row is not lost when a worker dies.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
)
from django.db.models.constants import OnConflict
from django.db.models.functions import ExtractDay, ExtractMonth
from django.utils import timezone

from clients.dates import REMIND_AT, anniversaries_between, local_moment
from clients.models import AnticipatedNeed, Client, ImportantDate, Interaction
from requests.models import OPEN_STATUSES, ServiceRequest, Status, VendorUse
from requests.sla import DUE_SOON

from ..accounts.models import User
from .models import Reminder
from .policies import all_policies
from .services import close, close_settled

EXPIRY_WARNING = datetime.timedelta(hours=2)
BATCH = 1000
Kind = Reminder.Kind

# Which reminders share a subject and purpose (the same partial unique indexes as the model's).
PURPOSES = [
    ("important_date", [Kind.IMPORTANT_DATE]),
    ("anticipated_need", [Kind.ANTICIPATED_NEED]),
    (
        "service_request",
        [Kind.NOT_ACKNOWLEDGED, Kind.DUE_SOON, Kind.OVERDUE, Kind.FOLLOW_UP],
    ),
    ("vendor_use", [Kind.EXPIRY]),
    ("client", [Kind.CADENCE]),
]


def horizon() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REMINDER_HORIZON_HOURS)


def grace() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.REMINDER_CATCH_UP_GRACE_HOURS)


def owner_of(client: Client):
    return client.primary_concierge or client.backup_concierge


def _reminded(**subject) -> Exists:
    """A reminder already made for this subject (and occurrence or due moment): the candidate's
    dedupe key is taken, so the sweep need not load it (the unique key still decides)."""
    return Exists(Reminder.objects.filter(**subject))


def _date_reminded(start: datetime.date, end: datetime.date) -> Exists:
    """A reminder for the occurrence the date falls on now, in the window: the same dedupe key the
    sweep would build. A date moved since (or a yearly date made one-off) falls on no reminded
    occurrence, so it is a candidate again. The date's columns are read from the outer row, not
    joined again for each reminder probed."""
    month_day = ExtractMonth("occurrence") * 100 + ExtractDay("occurrence")
    falls_on = (
        Q(date_yearly=True, occurrence_day=F("date_month_day"))
        # 29 February is celebrated on the 28th in common years.
        | Q(date_yearly=True, date_month_day=229, occurrence__month=2, occurrence__day__gte=28)
        | Q(date_yearly=False, occurrence=F("date_date"))
    )
    return Exists(
        Reminder.objects.filter(
            important_date=OuterRef("pk"),
            kind=Kind.IMPORTANT_DATE,
            occurrence__gte=start,
            occurrence__lte=end,
        )
        .annotate(
            date_yearly=ExpressionWrapper(OuterRef("yearly"), output_field=BooleanField()),
            date_month_day=ExpressionWrapper(OuterRef("month_day"), output_field=IntegerField()),
            date_date=ExpressionWrapper(OuterRef("date"), output_field=DateField()),
            occurrence_day=month_day,
        )
        .filter(falls_on)
    )


def _local_days(now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The earliest local today among the concierges' zones, and the latest local day whose prompt
    time (09:00) comes within the horizon: the days a date's prompt can fall on in this sweep."""
    until = now + horizon()
    names = set(User.objects.values_list("time_zone", flat=True)) or {"UTC"}
    try:
        zones = [zoneinfo.ZoneInfo(name or "UTC") for name in names]  # as User.tzinfo
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # unknown zone: the widest days
        return now.date() - datetime.timedelta(days=1), until.date() + datetime.timedelta(days=1)
    prompt = datetime.timedelta(hours=REMIND_AT.hour, minutes=REMIND_AT.minute)
    return (
        min(now.astimezone(tz).date() for tz in zones),
        max((until.astimezone(tz).replace(tzinfo=None) - prompt).date() for tz in zones),
    )


def important_date_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    policies = all_policies()
    longest = max(
        [p.birthday_lead_days for p in policies.all()]
        + [p.date_lead_days for p in policies.all()]
        + [14]
    )
    today = now.date()
    start, end = today - datetime.timedelta(days=1), today + datetime.timedelta(days=longest + 2)
    # Only the dates whose own lead brings them into the horizon (in any concierge's zone).
    first_day, last_day = _local_days(now)
    leads: dict[tuple[str, bool], int] = {}
    for policy in policies.all():
        for birthday, lead in (
            (True, policy.birthday_lead_days),
            (False, policy.date_lead_days),
        ):
            key = (policy.tier, birthday)
            leads[key] = max(leads.get(key, 0), lead)
    in_lead = Q(pk__in=[])
    for (tier, birthday), lead in leads.items():
        until = min(end, last_day + datetime.timedelta(days=lead))
        is_birthday = Q(kind=ImportantDate.Kind.BIRTHDAY)
        in_lead |= (
            Q(client__tier=tier)
            & (is_birthday if birthday else ~is_birthday)
            & anniversaries_between(max(start, first_day), until)
        )
    # A window of a year or more holds two occurrences of a yearly date: no shortcut then.
    already = (
        Q(pk__in=[]) if end - start >= datetime.timedelta(days=365) else _date_reminded(start, end)
    )
    dates = (
        ImportantDate.objects.filter(anniversaries_between(start, end))
        # A date not come yet first falls on itself; a one-off date past: nothing to do.
        .filter(Q(yearly=True) | Q(date__gte=start), date__lte=end)
        .filter(in_lead | ~Q(client__tier__in=[tier for tier, _birthday in leads]))
        .filter(
            Q(client__primary_concierge__isnull=False) | Q(client__backup_concierge__isnull=False)
        )
        .exclude(already)
        # Read as plain values: near the horizon's edge a few hundred rows are read only to be
        # left for a later sweep (their prompt time is not within the horizon in their zone).
        .values_list(
            "pk",
            "kind",
            "date",
            "yearly",
            "client_id",
            "client__tier",
            "client__team_id",
            "client__primary_concierge_id",
            "client__primary_concierge__time_zone",
            "client__backup_concierge_id",
            "client__backup_concierge__time_zone",
        )
    )
    until = now + horizon()
    for row in dates.iterator(chunk_size=BATCH):
        pk, kind, date, yearly, client_id, tier, team_id, primary, primary_zone, backup, zone = row
        # The owner (owner_of): the primary concierge, else the backup.
        owner_id, zone = (primary, primary_zone) if primary is not None else (backup, zone)
        tz = zoneinfo.ZoneInfo(zone or "UTC")  # as User.tzinfo
        local_today = now.astimezone(tz).date()
        occurrence = ImportantDate(date=date, yearly=yearly).next_occurrence(local_today)
        if occurrence is None:
            continue
        policy = policies.of(team_id)[tier]  # as policies.for_client
        lead = (
            policy.birthday_lead_days
            if kind == ImportantDate.Kind.BIRTHDAY
            else policy.date_lead_days
        )
        due = local_moment(occurrence - datetime.timedelta(days=lead), tz)
        if due > until:
            continue
        # A date learned after its prompt time is late from the start: the catch-up lists it.
        yield Reminder(
            owner_id=owner_id,
            client_id=client_id,
            kind=Kind.IMPORTANT_DATE,
            important_date_id=pk,
            occurrence=occurrence,
            due_at=due,
            dedupe_key=f"date:{pk}:{occurrence.isoformat()}",
        )


def anticipated_need_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    soon = (now + horizon()).date() + datetime.timedelta(days=1)
    # A need already reminded for its next date is left out, unless it may be due to roll forward.
    rolling = Q(next_on__lte=now.date() + datetime.timedelta(days=1))
    reminded = _reminded(
        anticipated_need=OuterRef("pk"), kind=Kind.ANTICIPATED_NEED, occurrence=OuterRef("next_on")
    )
    needs = (
        AnticipatedNeed.objects.filter(state=AnticipatedNeed.State.ACTIVE, remind_on__lte=soon)
        .filter(rolling | ~reminded)
        .select_related("client__primary_concierge", "client__backup_concierge")
    )
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
        yield Reminder(
            owner=owner,
            client=need.client,
            kind=Kind.ANTICIPATED_NEED,
            anticipated_need=need,
            occurrence=need.next_on,
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


def request_stage(sr: ServiceRequest, now: datetime.datetime, until: datetime.datetime):
    """The one prompt a request calls for now (kind, due moment), the most advanced stage first."""
    if sr.status in OPEN_STATUSES and sr.due_at is not None:
        if sr.due_at <= now:
            return Kind.OVERDUE, sr.due_at
        if sr.due_at - DUE_SOON <= now:
            # Made due soon by its own deadline: due soon from its creation, not before.
            return Kind.DUE_SOON, max(sr.due_at - DUE_SOON, sr.created_at)
    if sr.status == Status.NEW and sr.acknowledge_by is not None and sr.acknowledge_by <= until:
        return Kind.NOT_ACKNOWLEDGED, sr.acknowledge_by
    return None


REQUEST_FIELDS = [
    "id",
    "client_id",
    "assignee_id",
    "status",
    "due_at",
    "acknowledge_by",
    "created_at",
    "fulfilled_at",
]
CLIENT_FIELDS = ["id", "tier", "team_id", "primary_concierge_id", "backup_concierge_id"]
STAGE_KEYS = {Kind.NOT_ACKNOWLEDGED: "ack", Kind.DUE_SOON: "duesoon", Kind.OVERDUE: "overdue"}


def request_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    policies = all_policies()
    until = now + horizon()
    # Only what the stage, the owner and the policy are read from (the assignee's id, not them).
    requests = (
        ServiceRequest.objects.select_related("client")
        .only(*REQUEST_FIELDS, *(f"client__{f}" for f in CLIENT_FIELDS))
        .filter(assignee__isnull=False)
    )

    # Each request at the stage it is in now, unless that stage's prompt is already made (the same
    # key: the stage's kind for the same due moment); see request_stage.
    def stage_not_reminded(kind, **due):
        return ~_reminded(service_request=OuterRef("pk"), kind=kind, **due)

    same_due = {"for_due_at": OuterRef("due_at")}
    active = requests.filter(
        Q(status__in=OPEN_STATUSES, due_at__lte=now) & stage_not_reminded(Kind.OVERDUE, **same_due)
        | Q(status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=now + DUE_SOON)
        & stage_not_reminded(Kind.DUE_SOON, **same_due)
        | Q(status=Status.NEW, acknowledge_by__lte=until)
        & (Q(due_at__isnull=True) | Q(due_at__gt=now + DUE_SOON))
        & stage_not_reminded(Kind.NOT_ACKNOWLEDGED)
    )
    for sr in active.iterator(chunk_size=BATCH):
        stage = request_stage(sr, now, until)
        if stage is None:
            continue
        kind, due = stage
        for_due_at = sr.due_at if kind != Kind.NOT_ACKNOWLEDGED else None
        stamp = for_due_at.strftime("%Y%m%d%H%M") if for_due_at else ""
        yield _request_reminder(
            sr, kind, due, f"{STAGE_KEYS[kind]}:{sr.pk}:{stamp}".rstrip(":"), for_due_at=for_due_at
        )
    for sr in requests.filter(
        status=Status.FULFILLED, feedback__isnull=True, fulfilled_at__isnull=False
    ).exclude(_reminded(service_request=OuterRef("pk"), kind=Kind.FOLLOW_UP)):
        due = sr.fulfilled_at + datetime.timedelta(
            hours=policies.for_client(sr.client).follow_up_hours
        )
        if due <= until:
            yield _request_reminder(sr, Kind.FOLLOW_UP, due, f"followup:{sr.pk}")
    expiring = VendorUse.objects.filter(
        stage__in=[VendorUse.Stage.QUOTED, VendorUse.Stage.HELD],
        expires_at__lte=until + EXPIRY_WARNING,
        expires_at__gt=now - datetime.timedelta(days=1),
        service_request__status__in=OPEN_STATUSES,
        service_request__assignee__isnull=False,
    )
    expiring = (
        expiring.exclude(
            _reminded(
                vendor_use=OuterRef("pk"), kind=Kind.EXPIRY, for_due_at=OuterRef("expires_at")
            )
        )
        .select_related("service_request__client")
        .only(
            "id",
            "service_request_id",
            "expires_at",
            *(f"service_request__{f}" for f in REQUEST_FIELDS),
            *(f"service_request__client__{f}" for f in CLIENT_FIELDS),
        )
    )
    for use in expiring:
        yield _request_reminder(
            use.service_request,
            Kind.EXPIRY,
            use.expires_at - EXPIRY_WARNING,
            f"expiry:{use.pk}:{use.expires_at.strftime('%Y%m%d%H%M')}",
            vendor_use_id=use.pk,
            for_due_at=use.expires_at,
        )


def _request_reminder(sr, kind, due, key, **subject) -> Reminder:
    client = sr.client
    # The assignee, while they look after the client; else the client's concierge (a request left
    # with a former concierge must not prompt someone who can no longer see it).
    looking_after = (client.primary_concierge_id, client.backup_concierge_id)
    owner_id = sr.assignee_id
    if owner_id not in looking_after and client.primary_concierge_id:
        owner_id = client.primary_concierge_id
    return Reminder(
        owner_id=owner_id,
        client_id=sr.client_id,
        service_request_id=sr.pk,
        kind=kind,
        due_at=due,
        dedupe_key=key,
        **subject,
    )


CADENCE_OPEN_LIMIT = 10  # calls owed at once per concierge: more come as these are made


def cadence_reminders(now: datetime.datetime) -> Iterator[Reminder]:
    """Clients not contacted within their tier's cadence, longest silence first, a few at a time.
    Only the clients of concierges with room among their calls owed are read, and the reading
    stops once each is full: an hourly run where every concierge owes their share reads nothing."""
    policies = all_policies()
    owed = dict(
        Reminder.objects.live()
        .filter(kind=Kind.CADENCE)
        .values("owner")
        .annotate(n=Count("pk"))
        .values_list("owner", "n")
    )
    room = {
        pk
        for pk in User.objects.values_list("pk", flat=True)
        if owed.get(pk, 0) < CADENCE_OPEN_LIMIT
    }
    teams = [None, *policies.teams]
    for team_id, (tier, _label) in ((t, c) for t in teams for c in Client.Tier.choices):
        if not room:
            return
        cadence = datetime.timedelta(days=policies.of(team_id)[tier].contact_cadence_days)
        cutoff = now - cadence
        # Each team with policies of its own is read apart; the others take the defaults.
        in_team = (
            Q(team_id=team_id)
            if team_id is not None
            else ~Q(team_id__in=list(policies.teams)) | Q(team__isnull=True)
        )
        quiet = (
            Client.objects.filter(in_team, tier=tier, status=Client.Status.ACTIVE)
            # Whose owner (primary, else backup: owner_of) has room.
            .filter(
                Q(primary_concierge__in=room)
                | Q(primary_concierge__isnull=True, backup_concierge__in=room)
            )
            .annotate(
                last_contact=Max(
                    "interactions__occurred_at",
                    filter=Q(interactions__channel__in=Interaction.CONTACT_CHANNELS),
                )
            )
            .filter(
                Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True, created_at__lt=cutoff)
            )
            .select_related("primary_concierge", "backup_concierge")
            .order_by(F("last_contact").asc(nulls_first=True), "pk")
        )
        for chunk in _chunks(quiet.iterator(chunk_size=CADENCE_CHUNK), CADENCE_CHUNK):
            keys = {client.pk: _cadence_key(client) for client in chunk}
            # A silence already reminded of (even dismissed) takes no place in the calls owed.
            reminded = set(
                Reminder.objects.filter(dedupe_key__in=keys.values()).values_list(
                    "dedupe_key", flat=True
                )
            )
            for client in chunk:
                owner = owner_of(client)
                if owner.pk not in room or keys[client.pk] in reminded:
                    continue
                owed[owner.pk] = owed.get(owner.pk, 0) + 1
                if owed[owner.pk] >= CADENCE_OPEN_LIMIT:
                    room.discard(owner.pk)
                since = client.last_contact or client.created_at
                yield Reminder(
                    owner=owner,
                    client=client,
                    kind=Kind.CADENCE,
                    # The silence began on this day; the call was owed once the cadence ran out.
                    occurrence=since.astimezone(owner.tzinfo).date(),
                    due_at=since + cadence,
                    dedupe_key=keys[client.pk],
                )
            if not room:
                return


CADENCE_CHUNK = 500  # quiet clients read at a time (the calls owed are a few per concierge)


def _cadence_key(client: Client) -> str:
    since = client.last_contact or client.created_at
    return f"cadence:{client.pk}:{since.date().isoformat()}"


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def save_new(reminders: Iterable[Reminder], now: datetime.datetime | None = None) -> int:
    """Insert the reminders whose key is new, each replacing the live prompt of the same subject
    and purpose; a key already there (from any sweep) is skipped."""
    now = now or timezone.now()
    created = 0
    batch: list[Reminder] = []
    for reminder in reminders:
        batch.append(reminder)
        if len(batch) >= BATCH:
            created += _insert(batch, now)
            batch = []
    if batch:
        created += _insert(batch, now)
    return created


@transaction.atomic
def _insert(batch: list[Reminder], now: datetime.datetime) -> int:
    keys = [r.dedupe_key for r in batch]
    existing = set(
        Reminder.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    fresh = {r.dedupe_key: r for r in batch if r.dedupe_key not in existing}
    if not fresh:
        return 0
    _supersede(list(fresh.values()), now)
    inserted = _insert_new(list(fresh.values()))
    _catch_up(list(fresh), now)
    return inserted


def _insert_new(reminders: list[Reminder]) -> int:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: a parallel sweep may insert the same key (or
    the same subject) between our read and our write; the unique indexes decide, the loser inserts
    nothing, and what comes back is what this sweep created. (bulk_create(ignore_conflicts=True)
    cannot say how many rows it inserted.)"""
    fields = [f for f in Reminder._meta.concrete_fields if not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, reminders) or len(reminders)
    inserted = 0
    for start in range(0, len(reminders), size):
        inserted += len(
            Reminder.objects._insert(
                reminders[start : start + size],
                fields=fields,
                returning_fields=[Reminder._meta.pk],
                on_conflict=OnConflict.IGNORE,
            )
        )
    return inserted


def _supersede(fresh: list[Reminder], now: datetime.datetime) -> int:
    """Close the live prompts that the fresh ones replace (same subject and purpose)."""
    replaced = Reminder.objects.none()
    for field, kinds in PURPOSES:
        subjects = {getattr(r, f"{field}_id") for r in fresh if r.kind in kinds}
        if subjects:
            replaced |= Reminder.objects.filter(kind__in=kinds, **{f"{field}_id__in": subjects})
    ids = list(replaced.live().values_list("pk", flat=True))
    return close(ids, Reminder.State.SUPERSEDED, now)


def _catch_up(keys: list[str], now: datetime.datetime) -> None:
    """What was late by more than the grace period when first seen goes to its owner's catch-up."""
    late = (
        Reminder.objects.filter(
            dedupe_key__in=keys,
            due_at__lt=now - grace(),
            catch_up__isnull=True,
            notified_at__isnull=True,
        )
        .live()
        .exclude(kind__in=[Kind.MANUAL, Kind.CATCH_UP])
    )
    by_owner: dict[int, list[int]] = defaultdict(list)
    for pk, owner_id in late.values_list("pk", "owner_id"):
        by_owner[owner_id].append(pk)
    for owner_id, ids in by_owner.items():
        target = _open_catch_up(owner_id, now)
        Reminder.objects.filter(pk__in=ids).update(catch_up=target)


def _open_catch_up(owner_id: int, now: datetime.datetime) -> Reminder:
    """The owner's catch-up not yet delivered, or a new one that takes over a delivered one (so that
    what is added is announced, once)."""
    current = (
        Reminder.objects.select_for_update()
        .filter(owner_id=owner_id, kind=Kind.CATCH_UP)
        .live()
        .first()
    )
    if current is not None and current.notified_at is None:
        return current
    fresh = Reminder(
        owner_id=owner_id,
        kind=Kind.CATCH_UP,
        due_at=now,
        dedupe_key=f"catchup:{owner_id}:{now.isoformat()}",
    )
    if current is not None:
        close([current.pk], Reminder.State.SUPERSEDED, now)
    try:
        with transaction.atomic():
            fresh.save()
    except IntegrityError:  # a parallel sweep opened one for this owner first: join it
        return Reminder.objects.filter(owner_id=owner_id, kind=Kind.CATCH_UP).live().get()
    if current is not None:
        Reminder.objects.filter(catch_up=current).live().update(catch_up=fresh)
    return fresh


ANALYZE_AFTER = 1000  # reminders created by one sweep


def fresh_statistics(created: int) -> None:
    """After a large sweep (a first one, an import), PostgreSQL's statistics are refreshed at once:
    planned on stale ones, the next sweep's anti-joins take seconds instead of milliseconds."""
    if created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Reminder._meta.db_table}")


def sweep(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    close_settled(now)
    created = 0
    for source in (important_date_reminders, anticipated_need_reminders, request_reminders):
        created += save_new(source(now), now)
    fresh_statistics(created)
    return created


def sweep_cadence(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    close_settled(now)
    return save_new(cadence_reminders(now), now)

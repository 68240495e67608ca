"""Every write to a client's record goes through here: validate, lock, check the version, save, record.

Tracked models are written with save() (never queryset.update()) so that django-simple-history keeps
who changed what and when.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from concierge.common.conflicts import check_version

from .models import (
    AccessLog,
    Client,
    ContactPoint,
    ImportantDate,
    Interaction,
    Preference,
    Relation,
)
from .phones import to_e164
from .signals import clients_reassigned, interaction_logged

if TYPE_CHECKING:
    from concierge.accounts.models import User


def normalize_contact_point(point: ContactPoint) -> None:
    if point.kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.MESSAGING):
        point.normalized = to_e164(point.value) or ""
    elif point.kind == ContactPoint.Kind.EMAIL:
        point.normalized = point.value.strip().lower()
    else:
        point.normalized = ""


@transaction.atomic
def client_create(*, by: User | None, tags=(), **fields) -> Client:
    client = Client(**fields)
    if by is not None and not by.is_manager and client.primary_concierge_id is None:
        client.primary_concierge = by
    if client.team_id is None:
        # The client belongs to its concierge's team, or to the team of whoever created it.
        client.team_id = getattr(client.primary_concierge, "team_id", None) or getattr(
            by, "team_id", None
        )
    client.save()
    if tags:
        # The creation's history row keeps the first tags (simple-history would add a second row).
        client.skip_history_when_saving = True
        client.tags.set(tags)
        del client.skip_history_when_saving
        snapshot = apps.get_model("clients", "HistoricalClient_tags")
        created = client.history.latest()
        snapshot.objects.bulk_create(
            [
                snapshot(history=created, id=row.pk, client_id=row.client_id, tag_id=row.tag_id)
                for row in Client.tags.through.objects.filter(client=client)
            ]
        )
    return client


@transaction.atomic
def client_update(
    *, client: Client, by: User | None, version: int | None, tags=None, **changes
) -> Client:
    """Call with the values of a submitted form; raises EditConflict on a stale version."""
    locked = Client.objects.select_for_update().get(pk=client.pk)
    check_version(locked, version)
    previous = (locked.primary_concierge_id, locked.backup_concierge_id)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version += 1
    if tags is not None:
        # Set before the save, so that its one history row has the new tags (not one per step).
        locked.skip_history_when_saving = True
        locked.tags.set(tags)
        del locked.skip_history_when_saving
    locked.save()
    if (locked.primary_concierge_id, locked.backup_concierge_id) != previous:
        clients_reassigned.send(
            sender=Client, clients=[locked], previous={locked.pk: previous}, by=by
        )
    return locked


@transaction.atomic
def client_part_save(
    *, client: Client, part: models.Model, version: int | None, by
) -> models.Model:
    """Create or update one item of a section (contact point, relation, date, preference)."""
    part.client = client
    if part.pk is not None:
        locked = type(part).objects.select_for_update().get(pk=part.pk, client=client)
        check_version(locked, version)
        part.version = locked.version + 1
    if isinstance(part, ContactPoint):
        normalize_contact_point(part)
        if part.preferred:
            # One preferred point per kind: the others step down (each saved, so history sees it).
            for other in client.contact_points.filter(kind=part.kind, preferred=True).exclude(
                pk=part.pk
            ):
                other.preferred = False
                other.version += 1
                other.save()
    if isinstance(part, Preference) and part.pk is None:
        part.captured_by = part.captured_by or by
        part.captured_at = part.last_confirmed_at = timezone.now()
    part.save()
    if isinstance(part, Relation):
        _sync_relation_birthday(part)
    return part


def _sync_relation_birthday(relation: Relation) -> None:
    """A household member's birthday is kept as an important date, so that it is reminded."""
    existing = ImportantDate.objects.filter(
        client_id=relation.client_id, relation=relation, kind=ImportantDate.Kind.BIRTHDAY
    ).first()
    if relation.birthday is None:
        if existing is not None:
            existing.delete()
    elif existing is None:
        ImportantDate(
            client_id=relation.client_id,
            relation=relation,
            kind=ImportantDate.Kind.BIRTHDAY,
            date=relation.birthday,
        ).save()
    elif existing.date != relation.birthday:
        existing.date = relation.birthday
        existing.version += 1
        existing.save()


@transaction.atomic
def client_part_delete(*, client: Client, part: models.Model, version: int | None) -> None:
    locked = type(part).objects.select_for_update().get(pk=part.pk, client=client)
    check_version(locked, version)
    locked.delete()


@transaction.atomic
def preference_confirm(*, preference: Preference, by: User | None) -> Preference:
    locked = Preference.objects.select_for_update().get(pk=preference.pk)
    locked.last_confirmed_at = timezone.now()
    locked.version += 1
    locked.save()
    return locked


def interaction_log(
    *,
    client: Client,
    by,
    channel: str,
    direction: str,
    summary: str = "",
    occurred_at=None,
    capture_key=None,
) -> Interaction:
    """Raises IntegrityError for a capture_key already kept (see clients.capture)."""
    interaction = Interaction.objects.create(
        client=client,
        by=by,
        channel=channel,
        direction=direction,
        summary=summary,
        occurred_at=occurred_at or timezone.now(),
        capture_key=capture_key,
    )
    interaction_logged.send(sender=Interaction, client=client, interaction=interaction)
    return interaction


def access_record(*, user, client: Client, what: str = AccessLog.What.PROFILE) -> None:
    """One row per open of a profile, audio or export: a single cheap insert.

    On PostgreSQL, committed without waiting for the disk (only when it is its own transaction):
    waiting cost 4 ms (p95 11) on each profile view; a crash of the database server may lose the
    last fraction of a second of these rows, and never half-writes one. The setting and the insert
    go as one message, which PostgreSQL runs as one transaction: one round trip, not four (BEGIN,
    SET, INSERT, COMMIT)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        AccessLog.objects.create(user=user, client_id=client.pk, what=what)
        return
    from psycopg import ClientCursor  # PostgreSQL only

    with connection.cursor() as cursor:
        if not isinstance(cursor.cursor, ClientCursor):  # bound on the server: one statement each
            with transaction.atomic():
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                AccessLog.objects.create(user=user, client_id=client.pk, what=what)
            return
        cursor.execute(_access_insert(), [user.pk, client.pk, what, timezone.now()])


@cache
def _access_insert() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(AccessLog._meta.get_field(name).column) for name in ("user", "client", "what", "at")
    )
    return (
        "SET LOCAL synchronous_commit TO OFF; "
        f"INSERT INTO {quote(AccessLog._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"
    )

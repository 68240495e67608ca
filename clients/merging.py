"""Folding a duplicate client record into the one that stays.

Everything that points at the absorbed client moves to the survivor, found generically through
`Client._meta.related_objects` so that records added by other apps later (requests, reminders…) move
too. Moved rows are written with save(), never queryset.update(), so that their history says who moved
them and why.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from concierge.common.conflicts import EditConflict

from .models import Client, ClientMerge, ContactPoint

IDENTITY_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "form_of_address",
    "pronunciation",
    "languages",
    "tier",
    "status",
    "notes",
    "primary_concierge_id",
    "backup_concierge_id",
    "photo",
    "created_at",
)
# Filled on the survivor only where it has nothing of its own.
GAP_FIELDS = ("preferred_name", "form_of_address", "pronunciation", "photo")


class MergeRefused(Exception):
    """The two records cannot be merged (the same record, or one the user may not see)."""


@transaction.atomic
def client_merge(
    *,
    survivor: Client,
    absorbed: Client,
    by,
    survivor_version: int | None = None,
    absorbed_version: int | None = None,
) -> ClientMerge:
    """Move everything of `absorbed` to `survivor`, record the merge, delete `absorbed`.

    Raises MergeRefused, or EditConflict when a version given no longer matches.
    """
    if survivor.pk == absorbed.pk:
        raise MergeRefused(_("A client cannot be merged with itself."))
    # Lock in primary-key order, so that two merges of the same pair cannot deadlock.
    locked = {
        pk: Client.objects.select_for_update().get(pk=pk)
        for pk in sorted((survivor.pk, absorbed.pk))
    }
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if Client.objects.visible_to(by).filter(pk__in=list(locked)).count() != 2:
        raise MergeRefused(_("You can only merge clients you look after."))
    for current, version in ((survivor, survivor_version), (absorbed, absorbed_version)):
        if version is not None and current.version != version:
            raise EditConflict(current)

    reason = f"merge of client #{absorbed.pk} into #{survivor.pk}"
    snapshot = _snapshot(absorbed)
    moved = {"contact_points": _move_contact_points(survivor, absorbed, by, reason)}
    for field in Client._meta.many_to_many:
        mine = getattr(survivor, field.name)
        new = getattr(absorbed, field.name).exclude(pk__in=mine.all())
        moved[field.name] = new.count()
        mine.add(*new)
    for relation in Client._meta.related_objects:
        if _skipped(relation):
            continue
        moved[relation.get_accessor_name()] = _move_related(
            relation, survivor, absorbed, by, reason
        )
    # Earlier merges into the absorbed record now belong to the survivor's history.
    for earlier in ClientMerge.objects.filter(survivor=absorbed):
        earlier.survivor = survivor
        earlier.save()

    _fill_gaps(survivor, absorbed)
    merge = ClientMerge.objects.create(
        survivor=survivor,
        absorbed_id=absorbed.pk,
        absorbed_snapshot=snapshot,
        moved={kind: count for kind, count in moved.items() if count},
        merged_by=by,
    )
    absorbed._history_user = by
    absorbed._change_reason = reason
    absorbed.delete()
    survivor.version += 1
    survivor._history_user = by
    survivor._change_reason = reason
    survivor.save()
    return merge


def _snapshot(client: Client) -> dict:
    snapshot = {}
    for name in IDENTITY_FIELDS:
        value = getattr(client, name)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif isinstance(value, models.fields.files.FieldFile):
            value = value.name or ""
        snapshot[name] = value
    snapshot["tags"] = [tag.name for tag in client.tags.all()]
    snapshot["contact_points"] = [
        {"kind": point.kind, "value": point.value, "label": point.label}
        for point in client.contact_points.all()
    ]
    return snapshot


def _skipped(relation) -> bool:
    model = relation.related_model
    return (
        model is ClientMerge
        or model is ContactPoint  # moved first, without duplicates
        or issubclass(model, HistoricalChanges)
    )


def _point_key(point: ContactPoint) -> tuple[str, str]:
    return point.kind, point.normalized or " ".join(point.value.casefold().split())


def _move_contact_points(survivor: Client, absorbed: Client, by, reason: str) -> int:
    """Move contact points; one the survivor already has stays behind (it goes with `absorbed`)."""
    existing = {_point_key(point): point for point in survivor.contact_points.all()}
    preferred_kinds = {point.kind for point in existing.values() if point.preferred}
    moved = 0
    for point in absorbed.contact_points.all():
        twin = existing.get(_point_key(point))
        if twin is not None:
            if not twin.best_times and point.best_times:
                twin.best_times = point.best_times
                _save(twin, by, reason)
            continue
        point.client = survivor
        # The survivor's preferred number stays the preferred one.
        point.preferred = point.preferred and point.kind not in preferred_kinds
        _save(point, by, reason)
        existing[_point_key(point)] = point
        moved += 1
    return moved


def _move_related(relation, survivor: Client, absorbed: Client, by, reason: str) -> int:
    field = relation.field
    rows = relation.related_model._base_manager.filter(**{field.name: absorbed})
    if relation.many_to_many:
        count = 0
        for row in rows:
            members = getattr(row, field.name)
            members.remove(absorbed)
            members.add(survivor)
            count += 1
        return count
    if relation.one_to_one and rows.model._base_manager.filter(**{field.name: survivor}).exists():
        return 0  # the survivor has its own; the absorbed one goes with the absorbed record
    count = 0
    for row in rows:
        setattr(row, field.name, survivor)
        try:
            with transaction.atomic():  # a savepoint: one row in conflict leaves the rest moving
                _save(row, by, reason)
        except IntegrityError:
            continue  # the survivor has its twin (a unique constraint says so): it stays behind
        count += 1
    return count


def _save(row: models.Model, by, reason: str) -> None:
    if any(f.name == "version" for f in row._meta.concrete_fields):
        row.version += 1  # a form opened before the merge is now stale
    row._history_user = by
    row._change_reason = reason
    row.save()


def _fill_gaps(survivor: Client, absorbed: Client) -> None:
    for name in GAP_FIELDS:
        if not getattr(survivor, name) and getattr(absorbed, name):
            setattr(survivor, name, getattr(absorbed, name))
    languages = [lang.strip() for lang in survivor.languages.split(",") if lang.strip()]
    known = {lang.casefold() for lang in languages}
    for lang in absorbed.languages.split(","):
        if lang.strip() and lang.strip().casefold() not in known:
            languages.append(lang.strip())
            known.add(lang.strip().casefold())
    survivor.languages = ", ".join(languages)[: Client._meta.get_field("languages").max_length]
    if absorbed.notes.strip() and absorbed.notes.strip() not in survivor.notes:
        heading = _("From the merged record of %(name)s:") % {"name": absorbed.legal_name}
        survivor.notes = "\n\n".join(
            part
            for part in (survivor.notes.strip(), f"{heading}\n{absorbed.notes.strip()}")
            if part
        )

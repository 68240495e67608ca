"""The changes to a client's record (field, old value, new value, who, when), read from simple-history."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import (
    AnticipatedNeed,
    Client,
    ContactPoint,
    ImportantDate,
    Preference,
    Relation,
    Tag,
    VoiceNote,
)

TRACKED_PARTS = [ContactPoint, Relation, ImportantDate, Preference, AnticipatedNeed, VoiceNote]
LIMIT = 40
UNTRACKED = {
    "id",
    "version",
    "normalized",
    "month_day",
    "remind_on",
    "evidence",
    "learned_key",
    "client",
    "search_text",
    "sort_name",
    "updated_at",
    "created_at",
    "audio",
    "mime_type",
    "size",
    "transcript_error",
    "transcript_attempts",
    "transcript_updated_at",
}


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    what: str  # "Contact point: Phone: +33 …"
    action: str  # "created", "changed", "deleted"
    fields: list[tuple[str, str, str]]  # (field label, old, new)


class _Names:
    """Labels of the objects that foreign keys in history rows point at, loaded one query per model."""

    def __init__(self, records_by_model):
        self.labels: dict[tuple[type, object], str] = {}
        wanted: dict[type, set] = {}
        for model, records in records_by_model:
            for field in _tracked_fields(model):
                if field.is_relation:
                    ids = {getattr(r, field.attname) for r in records} - {None}
                    wanted.setdefault(field.related_model, set()).update(ids)
        for related, ids in wanted.items():
            for obj in related._default_manager.filter(pk__in=ids):
                self.labels[(related, obj.pk)] = str(getattr(obj, "display_name", obj))

    def load_tags(self, records) -> None:
        """The tags each client history row kept (simple-history's m2m snapshot), in two queries."""
        self.tags: dict[int, str] = {}
        if not records:
            return
        snapshot = apps.get_model("clients", "HistoricalClient_tags")
        rows = snapshot.objects.filter(history_id__in=[r.history_id for r in records])
        by_row: dict[int, list[int]] = {}
        for history_id, tag_id in rows.values_list("history_id", "tag_id"):
            by_row.setdefault(history_id, []).append(tag_id)
        labels = dict(
            Tag.objects.filter(pk__in={t for ids in by_row.values() for t in ids}).values_list(
                "pk", "name"
            )
        )
        for record in records:
            names = sorted(labels.get(t, _("(removed)")) for t in by_row.get(record.history_id, ()))
            self.tags[record.history_id] = ", ".join(names)

    def tag_change(self, previous, record) -> list[tuple[str, str, str]]:
        if not hasattr(record, "tags") or record.history_id not in getattr(self, "tags", {}):
            return []
        old = self.tags.get(previous.history_id, "") if previous is not None else ""
        new = self.tags[record.history_id]
        return (
            [(str(Client._meta.get_field("tags").verbose_name).capitalize(), old, new)]
            if old != new
            else []
        )

    def display(self, record, field) -> str:
        value = getattr(record, field.attname)
        if value in (None, ""):
            return ""
        if field.is_relation:
            return self.labels.get((field.related_model, value), _("(removed)"))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "j M Y, H:i")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "j M Y")
        return str(value)


def _tracked_fields(model):
    return [f for f in model._meta.fields if f.name not in UNTRACKED]


def _changes_for(model, records, names: _Names) -> list[Change]:
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    fields = _tracked_fields(model)
    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    changes = []
    for object_records in by_object.values():
        previous = None
        for record in object_records:
            if record.history_type == "~" and previous is not None:
                diff = [
                    (
                        str(f.verbose_name).capitalize(),
                        names.display(previous, f),
                        names.display(record, f),
                    )
                    for f in fields
                    if getattr(previous, f.attname) != getattr(record, f.attname)
                ]
                diff += names.tag_change(previous, record)
                previous = record
                if not diff:
                    continue
            elif record.history_type == "+":
                diff = [
                    (str(f.verbose_name).capitalize(), "", names.display(record, f))
                    for f in fields
                    if names.display(record, f)
                ]
                diff += names.tag_change(None, record)
                previous = record
            else:
                diff = []
            what = str(model._meta.verbose_name).capitalize()
            if model is not Client:
                label = (
                    getattr(record, "value", None)
                    or getattr(record, "name", None)
                    or getattr(record, "detail", None)
                    or getattr(record, "label", None)
                    or getattr(record, "title", None)
                    or ""
                )
                what = (
                    _("%(label)s: %(value)s") % {"label": what, "value": label} if label else what
                )
            who = record.history_user.display_name if record.history_user else _("system")
            changes.append(
                Change(record.history_date, who, what, actions[record.history_type], diff)
            )
    return changes


def client_changes(client: Client, limit: int = LIMIT) -> list[Change]:
    """The latest changes to the client and its parts, in a fixed number of queries."""
    histories = [(Client, Client.history.filter(id=client.pk))]
    histories += [(m, m.history.filter(client_id=client.pk)) for m in TRACKED_PARTS]
    loaded = [
        (model, list(records.select_related("history_user").order_by("-history_date")[: limit * 2]))
        for model, records in histories
    ]
    names = _Names(loaded)
    names.load_tags(loaded[0][1])
    changes = [
        change for model, records in loaded for change in _changes_for(model, records, names)
    ]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]

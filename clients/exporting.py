"""A client's whole record as a zip: `client.json`, a readable `client.html` in the reader's language,
and the media files under `media/`.

The export is what the client is entitled to receive: identity, contact points, household, important
dates, preferences with their provenance, interactions, the full change history of the record and its
parts, tags and merges. Records of kinds added later (voice notes, requests…) that point to the client
are included generically, with their files. The number of queries does not grow with the record.
"""

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import profile
from .models import AnticipatedNeed, Client

FORMAT = "concierge-client-export"
FORMAT_VERSION = 1
# Reverse relations that have their own section; any other one lands in "other_records".
SECTIONS = {
    "contact_points",
    "relations",
    "important_dates",
    "preferences",
    "interactions",
    "merges",
}


# Our bookkeeping, not the client's data: left out of the JSON and of the readable document.
INTERNAL = {
    "version",
    "search_text",
    "sort_name",
    "month_day",
    "remind_on",
    "learned_key",
    "dedupe_key",
    "email_attempts",
    "emailed_at",
    "notified_at",
    "for_due_at",
    "read_at",
    "url",
    "catch_up",
}
# Rows under a record that are staff bookkeeping (a reminder's in-app notifications).
INTERNAL_CHILDREN = {"notifications"}

# The readable document's sections from the layers above (requests…): each renders a fragment
# of HTML for a client, in the active language. Registered in their AppConfig.ready().
READABLE_SECTIONS: list[Callable[[Client], str]] = []


def register_readable_section(render: Callable[[Client], str]) -> None:
    if render not in READABLE_SECTIONS:
        READABLE_SECTIONS.append(render)


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.username}


def _fields(obj, *, exclude=()) -> dict:
    """Every concrete field's stored value: foreign keys as ids, files as their storage names."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or f.attname in exclude or f.name in INTERNAL:
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else None
        data[f.attname] = value
    return data


def _files(obj) -> list[tuple]:
    """(storage, name) of each file the object holds."""
    return [
        (f.storage, getattr(obj, f.attname).name)
        for f in obj._meta.concrete_fields
        if isinstance(f, models.FileField) and getattr(obj, f.attname)
    ]


def history_querysets(client_ids) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every django-simple-history table with rows about these clients or the parts of their record.

    Historical tables keep personal data, so export and erasure both go through this list; it finds
    the tables of models added later (anything tracked that has a `client` foreign key).
    """
    client_ids = list(client_ids)
    found = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        historical = getattr(history, "model", None)
        if historical is None or getattr(historical, "instance_type", None) is not model:
            continue
        if model is Client:
            found.append((model, historical.objects.filter(id__in=client_ids)))
            continue
        try:
            client_field = model._meta.get_field("client")
        except Exception:  # noqa: BLE001 — FieldDoesNotExist: not a part of a client's record
            continue
        if getattr(client_field, "related_model", None) is Client:
            found.append((model, historical.objects.filter(client_id__in=client_ids)))
    return found


def _history_entry(model, row) -> dict:
    tracked = {
        name: value
        for name, value in _fields(row).items()
        if not name.startswith("history_") and name != "history_user_id"
    }
    return {
        "record": model._meta.model_name,
        "record_id": row.id,
        "change": {"+": "created", "~": "changed", "-": "deleted"}.get(row.history_type, "?"),
        "at": row.history_date,
        "by": _person(row.history_user),
        "reason": row.history_change_reason or "",
        "values": tracked,
    }


def client_export_data(client: Client) -> tuple[dict, list[tuple]]:
    """The record as JSON-ready data, and its media files as (storage, name) pairs."""
    client = (
        Client.objects.select_related("primary_concierge", "backup_concierge")
        .prefetch_related("tags")
        .get(pk=client.pk)
    )
    media = _files(client)

    identity = _fields(
        client, exclude=("search_text", "version", "primary_concierge_id", "backup_concierge_id")
    )
    identity["primary_concierge"] = _person(client.primary_concierge)
    identity["backup_concierge"] = _person(client.backup_concierge)

    contact_points = [
        _fields(p, exclude=("client_id", "version")) for p in client.contact_points.all()
    ]
    relations = {r.pk: r for r in client.relations.all()}
    household = [_fields(r, exclude=("client_id", "version")) for r in relations.values()]

    def whose(relation_id):
        return None if relation_id is None else relations[relation_id].name

    important_dates = []
    for date in client.important_dates.all():
        entry = _fields(date, exclude=("client_id", "version"))
        entry["whose"] = whose(date.relation_id)
        important_dates.append(entry)
    preferences = []
    for pref in client.preferences.select_related("captured_by"):
        entry = _fields(pref, exclude=("client_id", "version", "captured_by_id"))
        entry["whose"] = whose(pref.relation_id)
        entry["captured_by"] = _person(pref.captured_by)
        preferences.append(entry)
    interactions = []
    for interaction in client.interactions.select_related("by"):
        entry = _fields(interaction, exclude=("client_id", "by_id"))
        entry["by"] = _person(interaction.by)
        interactions.append(entry)
    merges = []
    for merge in client.merges.select_related("merged_by"):
        entry = _fields(merge, exclude=("survivor_id", "merged_by_id"))
        entry["merged_by"] = _person(merge.merged_by)
        merges.append(entry)

    other_records = {}
    for relation in Client._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor in SECTIONS or not relation.one_to_many or not accessor:
            continue
        # One level down too (a request's events, checklist, feedback): one query per kind.
        children = [
            child.get_accessor_name()
            for child in relation.related_model._meta.related_objects
            if child.one_to_many
            and child.get_accessor_name()
            and child.get_accessor_name() not in INTERNAL_CHILDREN
        ]
        rows = list(getattr(client, accessor).all().prefetch_related(*children))
        entries = []
        for row in rows:
            media.extend(_files(row))
            entry = _fields(row, exclude=("client_id",))
            for child in children:
                related = list(getattr(row, child).all())
                for item in related:
                    media.extend(_files(item))
                if related:
                    parent = relation.related_model._meta.get_field(child).field.attname
                    entry[child] = [_fields(item, exclude=(parent, "id")) for item in related]
            entries.append(entry)
        if entries:
            other_records[accessor] = entries

    absorbed_ids = [m["absorbed_id"] for m in merges]
    history = []
    for model, queryset in history_querysets([client.pk, *absorbed_ids]):
        history.extend(
            _history_entry(model, row) for row in queryset.select_related("history_user")
        )
    history.sort(key=lambda entry: (entry["at"], entry["record"], entry["record_id"]))

    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "client": identity,
        "tags": [tag.name for tag in client.tags.all()],
        "contact_points": contact_points,
        "household": household,
        "important_dates": important_dates,
        "preferences": preferences,
        "interactions": interactions,
        "merges": merges,
        "history": history,
    }
    if other_records:
        data["other_records"] = other_records
    return data, media


def client_export_document(client: Client) -> str:
    """The whole record as one readable HTML page, in the active language and time zone."""
    client = (
        Client.objects.select_related("primary_concierge", "backup_concierge")
        .prefetch_related("tags")
        .get(pk=client.pk)
    )
    prefs = profile.preferences(client)
    context = {
        "client": client,
        "contact_points": profile.contact_points(client),
        "household": profile.household(client),
        "dates": profile.upcoming_dates(client),
        "preference_groups": profile.preferences_by_category(prefs),
        "needs": AnticipatedNeed.objects.filter(
            client=client, state=AnticipatedNeed.State.ACTIVE
        ).order_by("next_on"),
        "interactions": client.interactions.select_related("by").order_by("-occurred_at"),
        "sections": [render(client) for render in READABLE_SECTIONS],
        "exported_at": timezone.now(),
    }
    return render_to_string("clients/client_export.html", context)


def archive_name(client: Client) -> str:
    slug = slugify(client.legal_name) or "client"
    return f"client-{client.pk}-{slug}.zip"


def client_export_archive(client: Client):
    """A zip of the record (a temporary file, rewound): client.json plus media/<storage name>."""
    data, media = client_export_data(client)
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    files = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for storage, name in dict.fromkeys(media):
            path = f"media/{name}"
            try:
                with storage.open(name, "rb") as source, zipped.open(path, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
            except OSError:  # missing from storage: say so rather than fail the export
                files.append({"name": name, "path": None, "missing": True})
                continue
            files.append({"name": name, "path": path, "missing": False})
        data["media"] = files
        zipped.writestr(
            "client.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        zipped.writestr("client.html", client_export_document(client))
    archive.seek(0)
    return archive

"""Erasing a client on request: the record, every part of it, its history and its files.

What stays is a `ClientErasure` row that says a record was erased, by whom, when and why, with no
personal data in it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models.deletion import Collector

from .exporting import history_querysets
from .models import Client, ClientErasure

if TYPE_CHECKING:
    from concierge.accounts.models import User

logger = logging.getLogger(__name__)


def can_erase(user, client: Client) -> bool:
    """Managers (of the client's team: they can see it) and the client's primary concierge."""
    return user.is_manager or client.primary_concierge_id == user.pk


def erasure_summary(client: Client) -> dict[str, int]:
    """What erasing the client would remove, counted, for the confirmation page."""
    ids = [client.pk, *client.merges.values_list("absorbed_id", flat=True)]
    files = (1 if client.photo else 0) + client.voice_notes.count()
    return {
        "contact_points": client.contact_points.count(),
        "household": client.relations.count(),
        "important_dates": client.important_dates.count(),
        "preferences": client.preferences.count(),
        "interactions": client.interactions.count(),
        "voice_notes": client.voice_notes.count(),
        "history": sum(queryset.count() for _model, queryset in history_querysets(ids)),
        "files": files,
    }


def redact_names(text: str, client: Client) -> str:
    """The reason is kept after erasure: it must not name the client."""
    words = {
        word
        for name in (client.first_name, client.last_name, client.preferred_name)
        for word in re.split(r"[\s\-]+", name or "")
        if len(word) >= 3
    }
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(re.escape(word), "…", text, flags=re.IGNORECASE)
    return text


def _stored_files(collector: Collector) -> list[tuple]:
    """(storage, name) of every file held by a record the deletion will remove."""
    files = []
    for model, instances in collector.data.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for instance in instances:
            for f in file_fields:
                value = getattr(instance, f.attname)
                if value:
                    files.append((f.storage, value.name))
    for queryset in collector.fast_deletes:
        model = queryset.model
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names = queryset.exclude(**{f.attname: ""}).values_list(f.attname, flat=True)
                files.extend((f.storage, name) for name in names if name)
    return files


def _forget_admin_log(collector: Collector) -> None:
    """The admin's change log names the objects it touched: drop its entries for these ones."""
    for model, instances in collector.data.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(i.pk) for i in instances]
        ).delete()


def _delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete %s after an erasure", name)


@transaction.atomic
def client_erase(*, client: Client, by: User | None, reason: str = "") -> ClientErasure:
    """Delete the client and everything about it; files go once the transaction has committed."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    pk = client.pk
    # Records merged into this one were the same person: their history goes too.
    ids = [pk, *client.merges.values_list("absorbed_id", flat=True)]
    collector = Collector(using=router.db_for_write(Client))
    collector.collect([client])
    files = _stored_files(collector)
    _forget_admin_log(collector)
    reason = redact_names(reason.strip(), client)[:300]

    # Earlier photos (replaced since, or of merged records) live on in history rows and snapshots.
    photo_storage = Client._meta.get_field("photo").storage
    for _model, queryset in history_querysets(ids):
        if any(f.name == "photo" for f in queryset.model._meta.fields):
            names = queryset.exclude(photo="").values_list("photo", flat=True).distinct()
            files.extend((photo_storage, name) for name in names)
    files.extend(
        (photo_storage, merge.absorbed_snapshot["photo"])
        for merge in client.merges.all()
        if merge.absorbed_snapshot.get("photo")
    )
    files = list(dict.fromkeys(files))

    client.delete()
    # Deleting wrote "deleted" history rows with every field: purge after, not before.
    for _model, queryset in history_querysets(ids):
        queryset.delete()

    erasure = ClientErasure.objects.create(
        client_id_erased=pk, reference=f"Client #{pk}", erased_by=by, reason=reason
    )
    transaction.on_commit(lambda: _delete_files(files))
    return erasure

"""Creating the clients of a validated import: all rows in one transaction, or none."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..merging import client_merge
from ..models import Client, ContactPoint, ImportantDate, Tag
from ..search import refresh_search_texts
from ..services import normalize_contact_point

BATCH = 500


def _tags_by_key(names) -> dict[str, Tag]:
    tags: dict[str, Tag] = {}
    for name in names:
        key = name.casefold()
        if key not in tags:
            tags[key] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name
            )
    return tags


def _preferred_index(items: list[dict]) -> int:
    return next((i for i, item in enumerate(items) if item.get("preferred")), 0)


@transaction.atomic
def clients_import(*, rows: list[dict], by, primary_concierge, source: str = "") -> list[Client]:
    """Create every row of a validated file, or none: one transaction.

    Row by row through `client_create` and `client_part_save`, a thousand clients cost some 25,000
    queries (20 s on PostgreSQL: past a web worker's timeout). So the rows are written in bulk, one
    statement per table, keeping what those services guarantee for a new client: a history row for
    the client and each part (by the importing user), contact points normalised by
    `normalize_contact_point`, one preferred point per kind, and the search text.
    """
    now = timezone.now()
    history = {
        "default_user": by,
        "default_date": now,
        "default_change_reason": (_("Imported from %(file)s") % {"file": source})[:100]
        if source
        else _("Imported"),
        "batch_size": BATCH,
    }
    tags = _tags_by_key(name for row in rows for name in row["tags"])
    clients = [
        Client(
            primary_concierge=primary_concierge,
            team_id=getattr(primary_concierge, "team_id", None),
            first_name=row["first_name"],
            last_name=row["last_name"],
            preferred_name=row["preferred_name"],
            form_of_address=row["form_of_address"],
            tier=row["tier"],
            notes=row["notes"],
        )
        for row in rows
    ]
    clients = bulk_create_with_history(clients, Client, **history)

    through = Client.tags.through
    through.objects.bulk_create(
        [
            through(client_id=client.pk, tag_id=tags[name.casefold()].pk)
            for client, row in zip(clients, rows, strict=True)
            for name in row["tags"]
        ],
        batch_size=BATCH,
    )
    points, dates = [], []
    for client, row in zip(clients, rows, strict=True):
        for kind, items in (
            (ContactPoint.Kind.PHONE, row["phones"]),
            (ContactPoint.Kind.EMAIL, row["emails"]),
            (ContactPoint.Kind.ADDRESS, row["addresses"]),
        ):
            preferred = _preferred_index(items)
            for index, item in enumerate(items):
                point = ContactPoint(
                    client=client,
                    kind=kind,
                    value=item["value"],
                    label=item.get("label", ""),
                    preferred=index == preferred,
                )
                normalize_contact_point(point)
                points.append(point)
        if row["birthday"]:
            birthday = datetime.date.fromisoformat(row["birthday"])
            dates.append(
                ImportantDate(
                    client=client,
                    kind=ImportantDate.Kind.BIRTHDAY,
                    date=birthday,
                    yearly=True,
                )
            )
    if points:
        bulk_create_with_history(points, ContactPoint, **history)
    if dates:
        bulk_create_with_history(dates, ImportantDate, **history)

    # Bulk inserts send no signals: the same refresh that the signals run, once for the batch.
    texts = refresh_search_texts([client.pk for client in clients])
    for client in clients:
        client.search_text = texts.get(client.pk, client.search_text)
    return clients


IMPORT, SKIP = "import", "skip"
MERGE_PREFIX = "merge:"


@transaction.atomic
def clients_import_decided(
    *, rows: list[dict], decisions: dict[int, str], by, primary_concierge, source: str = ""
) -> tuple[list[Client], list[Client]]:
    """Import the rows as decided on the preview, row by row number: "import" (the default),
    "skip", or "merge:<id>": the row is imported, then merged into that existing client with the
    merge service (its phones, emails, tags and birthday join the record, its empty fields are
    filled, nothing of the existing record is replaced). All or nothing.

    Returns (created, merged_into). The caller checks that each merge target was offered."""
    kept = [row for row in rows if decisions.get(row["number"], IMPORT) != SKIP]
    clients = clients_import(rows=kept, by=by, primary_concierge=primary_concierge, source=source)
    created, merged_into = [], []
    for client, row in zip(clients, kept, strict=True):
        decision = decisions.get(row["number"], IMPORT)
        if not decision.startswith(MERGE_PREFIX):
            created.append(client)
            continue
        survivor = Client.objects.get(pk=int(decision.removeprefix(MERGE_PREFIX)))
        client_merge(survivor=survivor, absorbed=client, by=by)
        survivor.refresh_from_db()
        merged_into.append(survivor)
    return created, merged_into

"""Demo clients for `seed_demo`: rich, varied, French and international, and fast in bulk.

Client number `i` of a seed always comes from the same random stream, so a top-up run (more clients
than last time) adds new clients without redrawing the first ones, which are the featured clients.
Rows are plain dicts written many at a time (COPY on PostgreSQL, executemany on SQLite), with ids
reserved up front so that dates and preferences can point at household members: model instances and
bulk_create cost minutes at 100,000 clients (two million rows), this costs seconds. Like
bulk_create, it skips save() and signals; each client gets one "created" history row.
`search_text` is composed in memory with `compose_search_text`, the function that the signals'
refresh uses, so it is the same text.
"""

import datetime
import random
from operator import itemgetter
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from ..models import Client, ContactPoint, ImportantDate, Interaction, Preference, Relation, Tag
from ..search import compose_search_text, sort_name_of
from .catalogue import TAGS
from .featured import FEATURED
from .people import Bundle, random_client

CHUNK = 2000


def seed_clients(*, count: int, concierges: list, seed: int, start: int = 0) -> int:
    """Create demo clients number `start` to `start + count - 1` of `seed`; the first concierge
    gets the featured ones (Éloïse d'Harcourt, Charles-Henri de La Rochefoucauld…)."""
    tag_ids = _tag_ids()
    now = timezone.now()
    today = timezone.localdate()
    for chunk_start in range(start, start + count, CHUNK):
        bundles = []
        for i in range(chunk_start, min(start + count, chunk_start + CHUNK)):
            rng = random.Random(seed * 1_000_003 + i)
            build = FEATURED[i] if i < len(FEATURED) else random_client
            bundles.append(build(i, rng, concierges, seed, now, today))
        _insert(bundles, tag_ids, now)
    return count


def _tag_ids() -> dict[str, int]:
    Tag.objects.bulk_create([Tag(name=name) for name in TAGS], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=TAGS).values_list("name", "id"))


def _search_text(bundle: Bundle) -> str:
    client = bundle.client
    # In the models' Meta.ordering, so that the text is exactly client_search_text's.
    points = sorted(bundle.points, key=lambda p: (not p.get("preferred", False), p["kind"]))
    preferences = sorted(bundle.preferences, key=lambda p: (p["category"], p["kind"]))
    return compose_search_text(
        first_name=client["first_name"],
        last_name=client["last_name"],
        preferred_name=client.get("preferred_name", ""),
        form_of_address=client["form_of_address"],
        contact_points=[SimpleNamespace(**p) for p in points],
        tags=sorted(bundle.tags),
        preferences=[p["detail"] for p in preferences],
        household=[r["name"] for r in sorted(bundle.relations, key=_relation_order)],
    )


def _relation_order(relation: dict):
    return (relation["kind"], relation["name"])


def _insert(bundles: list[Bundle], tag_ids: dict[str, int], now) -> None:
    clients = [b.client for b in bundles]
    for bundle, pk in zip(bundles, _reserve_ids(Client, len(bundles)), strict=True):
        bundle.client.update(
            id=pk,
            search_text=_search_text(bundle),
            sort_name=sort_name_of(bundle.client["first_name"], bundle.client["last_name"]),
            created_at=now,
            updated_at=now,
        )
        for row in (*bundle.points, *bundle.relations, *bundle.dates, *bundle.preferences):
            row["client_id"] = pk
        for row in bundle.interactions:
            row["client_id"] = pk
    history = [
        {**c, "history_date": now, "history_type": "+", "history_change_reason": "demo data"}
        for c in clients
    ]
    relations = [r for b in bundles for r in b.relations]
    for relation, pk in zip(relations, _reserve_ids(Relation, len(relations)), strict=True):
        relation["id"] = pk
    for bundle in bundles:
        for row in (*bundle.dates, *bundle.preferences):
            row["relation_id"] = row["relation"]["id"] if row["relation"] else None
    _write(Client, clients)
    _write(Client.history.model, history)
    _write(Relation, relations)
    _write(ContactPoint, [p for b in bundles for p in b.points])
    _write(ImportantDate, [d for b in bundles for d in b.dates])
    _write(Preference, [p for b in bundles for p in b.preferences])
    _write(Interaction, [x for b in bundles for x in b.interactions])
    _write(
        Client.tags.through,
        [
            {"client_id": b.client["id"], "tag_id": tag_ids[name]}
            for b in bundles
            for name in b.tags
        ],
    )


def _reserve_ids(model, count: int) -> list[int]:
    """Ids nobody else will be given: from the sequence on PostgreSQL; on SQLite, past the highest
    ever handed out (the transaction holds the write lock, so no one else inserts meanwhile)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        if row := cursor.fetchone():
            highest = max(highest, row[0])
    return list(range(highest + 1, highest + 1 + count))


def _sqlite_datetime(value):
    # What connection.ops.adapt_datetimefield_value gives (naive UTC), without its cost.
    if value is not None and value.tzinfo is datetime.UTC:
        return str(value.replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


def _write(model, rows: list[dict]) -> None:
    """Insert plain rows (dicts by column; missing columns take the field default) in one go."""
    if not rows:
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if (not f.primary_key or f.attname in rows[0])
        and not f.generated  # the database computes those
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    for f in fields:
        adapt = _adapter(f)
        if adapt is not None:
            defaults[f.attname] = adapt(defaults[f.attname])
            for row in rows:
                if f.attname in row:
                    row[f.attname] = adapt(row[f.attname])
    columns = itemgetter(*(f.attname for f in fields))
    values = [columns({**defaults, **row}) for row in rows]
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values)


def _adapter(field):
    """How a value of `field` is written, where the driver cannot take the Python value as is."""
    kind = field.get_internal_type()
    if kind == "FileField":
        return str
    if connection.vendor == "postgresql":
        return None
    if kind == "DateTimeField":
        utc = connection.timezone_name == "UTC"
        return _sqlite_datetime if utc else connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return None

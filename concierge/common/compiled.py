"""Queries the ORM builds and compiles once per process and shape, then runs with fresh values.

Building a queryset and compiling it to SQL costs thousands of Python calls (a union of five index
reads, a CASE over every reason); a page that runs such a query on every request spends more time
there than in the database. Here `build(**marks)` is called once per key and database, with a
marker in place of each value the SQL depends on; the SQL is compiled, the markers' places among
its parameters are remembered, and each run puts the values in those places. The query is still
defined once, by the ORM: only its compiling is skipped. Every marker must be found among the
parameters (a value the ORM would write into the SQL itself cannot be a marker), else it raises.

Values: ints, aware datetimes, dates, lists of ints (each element a parameter: the key must tell
the lengths apart, as it must tell apart anything else that changes the SQL's shape), and `Ids`:
any number of ids as one parameter, for `pk__in=ids_in(marks["name"])`.

`rows()` gives the rows; `objects()` gives model instances with their select_related rows, as the
ORM would (the client profile's parts and timeline).
"""

import datetime
import json

from django.conf import settings
from django.db import connections
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, get_related_populators
from django.utils.dateparse import parse_datetime

_compiled: dict = {}
MAX_KEYS = 2000


class Ids:
    """Ids given as one parameter (an array on PostgreSQL, JSON on SQLite): the SQL stays the same
    however many there are, so one compiled query serves them all."""

    def __init__(self, ids):
        self.ids = sorted(set(ids))

    def param(self, connection):
        return self.ids if connection.vendor == "postgresql" else json.dumps(self.ids)


# How each database reads the ids of one parameter.
_IDS_SQL = {
    "postgresql": "SELECT unnest(%s::bigint[])",
    "sqlite": "SELECT value FROM json_each(%s)",
}


def ids_in(mark, using: str = "default") -> RawSQL:
    """In a build: `pk__in=ids_in(ids)`, where `ids` is the marker of an `Ids` value."""
    return RawSQL(_IDS_SQL[connections[using].vendor], [mark])


def _marks(values: dict) -> dict:
    """A marker for each value: unlikely numbers, moments and days of 1999, of the same type."""
    marks, n = {}, 0
    for name, value in values.items():
        if isinstance(value, Ids):
            marks[name] = [f"ids:{name}"]  # found by identity: a list is never equal by chance
        elif isinstance(value, list):
            marks[name] = [1_999_000_000 + n + i for i in range(len(value))]
            n += len(value)
        elif isinstance(value, datetime.datetime):
            marks[name] = datetime.datetime(
                1999, 12, 31, 23, 58, n % 60, 123457, tzinfo=datetime.UTC
            )
        elif isinstance(value, datetime.date):
            marks[name] = datetime.date(1999, 1 + n % 12, 13)
        elif isinstance(value, int):
            marks[name] = 1_999_000_000 + n
        else:
            raise TypeError(f"{name}: {type(value).__name__} cannot be a marker")
        n += 1
    return marks


def _adapt(value, connection):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _compile(build, values: dict, using: str):
    """The SQL of `build(**marks)`, where each value goes among its parameters, and the queryset
    with its compiler (which then knows the columns it selected)."""
    connection = connections[using]
    marks = _marks(values)
    queryset = build(**marks)
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    places, by_identity = {}, {}
    for name, mark in marks.items():
        if isinstance(values[name], Ids):
            by_identity[id(mark)] = (name, 0)
            continue
        for i, one in enumerate(mark if isinstance(mark, list) else [mark]):
            places[(type(_adapt(one, connection)), _adapt(one, connection))] = (name, i)
    slots, found = [], set()
    for param in params:
        if id(param) in by_identity:
            place = by_identity[id(param)]
        else:
            place = places.get((type(param), param)) if _hashable(param) else None
        slots.append((place, param))
        if place:
            found.add(place)
    wanted = set(places.values()) | set(by_identity.values())
    if found != wanted:
        missing = sorted({name for name, _i in wanted - found})
        raise ValueError(f"{missing} not found among the compiled query's parameters")
    return sql, slots, queryset, compiler


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def rows(key, build, values: dict, using: str = "default") -> list[tuple]:
    """The rows of `build(**values)`, its SQL compiled once for `key` (which must change whenever
    the SQL's shape would: a role, the length of a list)."""
    compiled = _compiled.get((key, using))
    if compiled is None:
        if len(_compiled) >= MAX_KEYS:  # keys that hold a user's rule: forget old ones
            _compiled.clear()
        compiled = _compiled[(key, using)] = _compile(build, values, using)[:2]
    sql, slots = compiled
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(slots, values, connection))
        return cursor.fetchall()


def _params(slots, values: dict, connection) -> list:
    params = []
    for place, constant in slots:
        if place is None:
            params.append(constant)
            continue
        name, i = place
        value = values[name]
        if isinstance(value, Ids):
            params.append(value.param(connection))
        else:
            params.append(_adapt(value[i] if isinstance(value, list) else value, connection))
    return params


class _Reader:
    """What Django's ModelIterable works out from a compiled query, kept to read its rows later."""

    def __init__(self, queryset, compiler):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("objects() reads no prefetch_related and no related manager")
        if queryset._iterable_class is not ModelIterable:
            raise ValueError("objects() reads model instances only")
        self.compiler = compiler
        klass_info = compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, compiler.select, compiler.using)
        self.annotations = list(compiler.annotation_col_map.items())


def objects(key, build, values: dict, using: str = "default") -> list:
    """The model instances of `build(**values)` (a queryset; its select_related joins filled in as
    the ORM does), its SQL compiled once for `key`, like `rows()`. No prefetch_related: read the
    related rows with a second call (`pk__in=ids_in(...)`)."""
    key = ("objects", key)  # never taken for a key of rows()
    found = _compiled.get((key, using))
    if found is None:
        if len(_compiled) >= MAX_KEYS:
            _compiled.clear()
        sql, slots, queryset, compiler = _compile(build, values, using)
        found = _compiled[(key, using)] = (sql, slots, _Reader(queryset, compiler))
    sql, slots, reader = found
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(slots, values, connection))
        fetched = cursor.fetchall()
    out = []
    model, start, end, init_list = reader.model, reader.start, reader.end, reader.init_list
    for row in reader.compiler.results_iter(results=[fetched]):
        obj = model.from_db(using, init_list, row[start:end])
        for populator in reader.populators:
            populator.populate(row, obj)
        for name, position in reader.annotations:
            setattr(obj, name, row[position])
        out.append(obj)
    return out


def as_datetime(value) -> datetime.datetime:
    """A datetime column read by `rows()` (SQLite gives it naive or as text, in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value

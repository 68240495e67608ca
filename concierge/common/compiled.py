"""Queries the ORM builds and compiles once per process and shape, then runs with fresh values.

Building a queryset and compiling it to SQL costs thousands of Python calls (a union of five index
reads, a CASE over every reason); a page that runs such a query on every request spends more time
there than in the database. Here `build(**marks)` is called once per key and database, with a
marker in place of each value the SQL depends on; the SQL is compiled, the markers' places among
its parameters are remembered, and each run puts the values in those places. The query is still
defined once, by the ORM: only its compiling is skipped. Every marker must be found among the
parameters (a value the ORM would write into the SQL itself cannot be a marker), else it raises.

Values: ints, aware datetimes, dates, and lists of ints (each element a parameter: the key must
tell the lengths apart, as it must tell apart anything else that changes the SQL's shape).
"""

import datetime

from django.conf import settings
from django.db import connections
from django.utils.dateparse import parse_datetime

_compiled: dict = {}


def _marks(values: dict) -> dict:
    """A marker for each value: unlikely numbers, moments and days of 1999, of the same type."""
    marks, n = {}, 0
    for name, value in values.items():
        if isinstance(value, list):
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
    connection = connections[using]
    marks = _marks(values)
    sql, params = build(**marks).query.get_compiler(using=using).as_sql()
    places = {}
    for name, mark in marks.items():
        for i, one in enumerate(mark if isinstance(mark, list) else [mark]):
            places[(type(_adapt(one, connection)), _adapt(one, connection))] = (name, i)
    slots, found = [], set()
    for param in params:
        place = places.get((type(param), param)) if _hashable(param) else None
        slots.append((place, param))
        if place:
            found.add(place)
    if found != set(places.values()):
        missing = sorted({name for name, _i in set(places.values()) - found})
        raise ValueError(f"{missing} not found among the compiled query's parameters")
    return sql, slots


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
        compiled = _compiled[(key, using)] = _compile(build, values, using)
    sql, slots = compiled
    connection = connections[using]
    params = []
    for place, constant in slots:
        if place is None:
            params.append(constant)
            continue
        name, i = place
        value = values[name][i] if isinstance(values[name], list) else values[name]
        params.append(_adapt(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def as_datetime(value) -> datetime.datetime:
    """A datetime column read by `rows()` (SQLite gives it naive or as text, in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value

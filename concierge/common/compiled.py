"""Queries the ORM builds and compiles once per process and shape, then runs with fresh values.

Building a queryset and compiling it to SQL costs thousands of Python calls (a union of five index
reads, a CASE over every reason); a page that runs such a query on every request spends more time
there than in the database. Here `build(**marks)` is called once per key and database, with a
marker in place of each value the SQL depends on; the SQL is compiled, the markers' places among
its parameters are remembered, and each run puts the values in those places. The query is still
defined once, by the ORM: only its compiling is skipped. Every marker must be found among the
parameters (a value the ORM would write into the SQL itself cannot be a marker), else it raises.

`rows()` gives the rows as tuples; `objects()` gives what the ORM's own iterable makes of them (model
instances with their select_related and prefetch_related).

Values: ints, aware datetimes, dates, lists of ints (each element a parameter: the key must tell
the lengths apart, as it must tell apart anything else that changes the SQL's shape), and `Ids`:
any number of ids as one parameter, for `pk__in=ids_in(marks["name"])` or
`IdsMatch("pk", marks["name"])`.

On PostgreSQL each compiled query is also a prepared statement of the connection, its constants
written into it and only the values as its parameters: the server plans it once, not on every run
(planning the agenda's queries took 5 ms a page, the board's one statement 4.7 ms). The server keeps
a plan made without the values only where it costs no more than one made for them.
"""

import datetime
import itertools
import json
import re
import weakref

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, F, Func
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
from django.utils.dateparse import parse_datetime

_compiled: dict = {}
MAX_KEYS = 2000
# Integer markers: within a small integer column's range (the ORM turns a lookup with a value out of
# a column's range into an empty or full result before writing any SQL), unlikely as a constant.
MARK_BASE = 31_000


class Ids:
    """Ids given as one parameter (an array on PostgreSQL, JSON on SQLite): the SQL stays the same
    however many there are, so one compiled query serves them all."""

    def __init__(self, ids):
        self.ids = sorted(set(ids))

    def param(self, connection):
        if connection.vendor == "postgresql":
            # An array's text, written at once: psycopg writes a list element by element (0.35 ms
            # for the agenda's 400 candidates, twice where the query log keeps the statement).
            return f"{{{','.join(map(str, map(int, self.ids)))}}}"
        return json.dumps(self.ids)


# How each database reads the ids of one parameter.
_IDS_SQL = {
    "postgresql": "SELECT unnest(%s::bigint[])",
    "sqlite": "SELECT value FROM json_each(%s)",
}


def ids_in(mark, using: str = "default") -> RawSQL:
    """In a build: `pk__in=ids_in(ids)`, where `ids` is the marker of an `Ids` value."""
    return RawSQL(_IDS_SQL[connections[using].vendor], [mark])


class IdsMatch(Func):
    """A condition: `field` is one of the ids of the marker of an `Ids` value (`= ANY(<array>)` on
    PostgreSQL). Where `pk__in=ids_in(...)` is a semi-join that the planner may place after a dozen
    joins of the whole tables (past its join_collapse_limit), this is the base table's own index
    condition: `.filter(IdsMatch("pk", marks["ids"]))` for a read with many select_related."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, mark):
        super().__init__(F(field))
        self.mark = mark

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::bigint[])", [*params, self.mark]
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, self.mark]


def _marks(values: dict) -> dict:
    """A marker for each value: unlikely numbers, moments and days of 1999, of the same type."""
    marks, n = {}, 0
    for name, value in values.items():
        if isinstance(value, Ids):
            marks[name] = [f"ids:{name}"]  # found by identity: a list is never equal by chance
        elif isinstance(value, list):
            marks[name] = [MARK_BASE + n + i for i in range(len(value))]
            n += len(value)
        elif isinstance(value, datetime.datetime):
            marks[name] = datetime.datetime(
                1999, 12, 31, 23, 58, n % 60, 123457, tzinfo=datetime.UTC
            )
        elif isinstance(value, datetime.date):
            marks[name] = datetime.date(1999, 1 + n % 12, 13)
        elif isinstance(value, int):
            marks[name] = MARK_BASE + n
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
    sql, slots, _queryset, _compiler = _compile_queryset(build, values, using)
    return _Query(sql, slots)


class _Query:
    """A compiled query: its SQL, where each parameter comes from (a value, or a constant of the
    build), and the name it is prepared under on PostgreSQL: its own, as two queries may share
    their SQL and differ in their constants (a user's rule)."""

    def __init__(self, sql: str, slots: list):
        self.sql, self.slots, self.name = sql, slots, f"compiled_{next(_names)}"


def _compile_queryset(build, values: dict, using: str):
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
            places[_kind(_adapt(one, connection))] = (name, i)
    slots, found = [], set()
    for param in params:
        if id(param) in by_identity:
            place = by_identity[id(param)]
        else:
            place = places.get(_kind(param)) if _hashable(param) else None
        slots.append((place, param))
        if place:
            found.add(place)
    wanted = set(places.values()) | set(by_identity.values())
    if found != wanted:
        missing = sorted({name for name, _i in wanted - found})
        raise ValueError(f"{missing} not found among the compiled query's parameters")
    return sql, slots, queryset, compiler


def _kind(param) -> tuple:
    # The ORM may give an integer typed for its column (psycopg's Int2 for a small integer).
    if isinstance(param, int) and not isinstance(param, bool):
        return (int, int(param))
    return (type(param), param)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def rows(key, build, values: dict, using: str = "default", *, generic: bool = False) -> list[tuple]:
    """The rows of `build(**values)`, its SQL compiled once for `key` (which must change whenever
    the SQL's shape would: a role, the length of a list). `generic`: on PostgreSQL, run on the
    plan made once without the values from its first run on (see GENERIC)."""
    query = _cached((key, using), lambda: _compile(build, values, using))
    connection = connections[using]
    statement = _statement(connection, query, values)
    sql, params = statement
    with connection.cursor() as cursor:
        if generic and sql != query.sql:  # the EXECUTE of a prepared statement
            # One round trip: as one message, the three run in one transaction of their own
            # (or within the caller's), so a failure takes the setting away with it.
            cursor.execute(f"{GENERIC}; {sql}; {AUTO}", params)
            cursor.nextset()  # the EXECUTE's rows
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


# PostgreSQL plans each of a prepared statement's first five runs on a connection for their values
# before it settles on one plan for all: for a statement that costs more to plan than to run (the
# board's union of nine columns: 4.7 ms to plan, 2 to run), that is paid on five pages of every
# connection. `rows(generic=True)` runs a statement on its one plan from the first run, for a shape
# whose plan made without the values is checked (tests/web/test_key_queries_use_indexes.py): for
# others that plan can be far worse (the agenda's lists joined to their judging, for a manager:
# every table hashed), so they are left to choose.
GENERIC = "SET plan_cache_mode = force_generic_plan"
AUTO = "RESET plan_cache_mode"


_names = itertools.count()
# Per connection (psycopg's own, which a reconnection replaces): the queries prepared on it.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%s|%%")
_SQL_TYPES = ((datetime.datetime, "timestamptz"), (datetime.date, "date"), (int, "bigint"))


def _statement(connection, query: _Query, values: dict) -> tuple[str, list]:
    """The SQL to run and its parameters: on PostgreSQL, the prepared statement's EXECUTE with the
    values alone (prepared on first use on this connection)."""
    params = _params(query.slots, values, connection)
    if connection.vendor != "postgresql" or not connection.settings_dict["CONN_MAX_AGE"]:
        # A connection closed after each request would prepare each statement to run it once.
        return query.sql, params
    connection.ensure_connection()
    prepared = _prepared.setdefault(connection.connection, set())
    if query.name not in prepared:
        # Through psycopg's own connection: a statement of the connection's, not of a page (the
        # query counts of the pages, and their tests, stay those of the queries they ask).
        connection.connection.execute(_prepare(connection, query, values))
        prepared.add(query.name)
    given = [
        param
        for (place, _constant), param in zip(query.slots, params, strict=True)
        if place is not None
    ]
    return f"EXECUTE {query.name}{_listed(['%s'] * len(given))}", given


def _listed(items: list[str]) -> str:
    # A statement without parameters is prepared and run without parentheses.
    return f"({', '.join(items)})" if items else ""


def _prepare(connection, query: _Query, values: dict) -> str:
    """PREPARE `name`: the constants written in (so that the plan made without the values still
    knows them: a partial index's condition is proven from them), each value a typed parameter."""
    pieces = iter(_PLACEHOLDER.split(query.sql))
    template, constants, types = [next(pieces)], [], []
    slots_left = iter(query.slots)
    for placeholder, piece in zip(_PLACEHOLDER.findall(query.sql), pieces, strict=True):
        if placeholder == "%%":
            template.append("%%")
        else:
            place, constant = next(slots_left)
            if place is None:
                template.append("%s")
                constants.append(constant)
            else:
                types.append(_sql_type(values, place))
                template.append(f"${len(types)}")
        template.append(piece)
    text = connection.ops.compose_sql("".join(template), constants)
    return f"PREPARE {query.name}{_listed(types)} AS {text}"


def _sql_type(values: dict, place) -> str:
    name, i = place
    value = values[name]
    if isinstance(value, Ids):
        return "bigint[]"
    value = value[i] if isinstance(value, list) else value
    return next(sql_type for kind, sql_type in _SQL_TYPES if isinstance(value, kind))


def _cached(key, compile_it):
    entry = _compiled.get(key)
    if entry is None:
        if len(_compiled) >= MAX_KEYS:  # keys that hold a user's rule: forget old ones
            _compiled.clear()
        entry = _compiled[key] = compile_it()
    return entry


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


# What the ORM's iterables read of a compiler once it has compiled its query.
_READ_AFTER_COMPILING = (
    "select",
    "klass_info",
    "annotation_col_map",
    "col_count",
    "has_extra_select",
)


def _compile_for_objects(build, values: dict, using: str):
    sql, slots, queryset, compiler = _compile_queryset(build, values, using)
    if queryset._iterable_class is not ModelIterable:
        raise TypeError("objects() reads model instances; rows() reads values")
    read = {name: getattr(compiler, name) for name in _READ_AFTER_COMPILING}
    return _Query(sql, slots), queryset, read


def objects(key, build, values: dict, using: str = "default") -> list:
    """The model instances of the queryset `build(**values)` as the ORM gives them (with their
    select_related and prefetch_related): its SQL compiled once for `key`, as `rows()`; the ORM's
    own iterable reads the rows. For values, `rows()`."""
    query, queryset, read = _cached(
        ("objects", key, using), lambda: _compile_for_objects(build, values, using)
    )
    compiler = queryset.query.get_compiler(using=using)  # this thread's connection
    compiler.__dict__.update(read)
    statement = _statement(compiler.connection, query, values)
    compiler.as_sql = lambda *args, **kwargs: statement
    run = object.__new__(type(queryset))  # the built queryset, as yet unread, with this compiler
    run.__dict__.update(queryset.__dict__)
    run._query = _Compiled(compiler)
    return list(run)


class _Compiled:
    """What the ORM's iterables ask of a queryset's query: its compiler (already compiled)."""

    def __init__(self, compiler):
        self.compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler


def as_date(value) -> datetime.date:
    """A date column read by `rows()` (SQLite gives it as text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value) -> datetime.datetime:
    """A datetime column read by `rows()` (SQLite gives it naive or as text, in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value

"""What a captured query ran, to be read by a test."""

import re

from django.db import connection

from concierge.common.compiled import AUTO, GENERIC

# A statement run on its generic plan comes between the setting and its reset (compiled.GENERIC).
_EXECUTE = re.compile(r"EXECUTE (compiled_\d+)\b")


def run(sql: str) -> str:
    """The statement of a captured query, without the plan setting a statement run on its generic
    plan is sent between (see concierge.common.compiled.GENERIC)."""
    return sql.removeprefix(f"{GENERIC}; ").removesuffix(f"; {AUTO}")


def written(sql: str) -> str:
    """The SQL of a captured query. A compiled query runs on PostgreSQL as the EXECUTE of a statement
    prepared on the connection (concierge.common.compiled): its SQL is the one the server keeps."""
    run = _EXECUTE.search(sql)
    if run is None:
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [run[1]])
        (prepared,) = cursor.fetchone()
    return prepared.split(" AS ", 1)[1]


def runs_generic(sql: str) -> bool:
    """Whether a captured compiled query ran on the one plan made without the values (see
    concierge.common.compiled.GENERIC): its EXPLAIN must then show that plan."""
    run = _EXECUTE.search(sql)
    if run is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans FROM pg_prepared_statements WHERE name = %s", [run[1]])
        (generic,) = cursor.fetchone()
    return generic > 0

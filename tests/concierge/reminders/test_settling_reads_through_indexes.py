"""On PostgreSQL, settling (what every sweep does first) judges the live prompts a few kinds at a
time, each read through the partial index of live prompts by kind (`reminder_live_kind`): the few
calls owed are not found by reading every live prompt, nor the prompts set by hand, never judged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concierge.reminders.services import close_settled
from tests.captured import written
from tests.web.test_key_queries_use_indexes import crowd, nodes, plan_of  # noqa: F401

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's (EXPLAIN); SQLite has no planner statistics to check",
)


@pytest.mark.usefixtures("crowd")
def test_settling_reads_the_live_prompts_of_each_kind_through_an_index():
    with CaptureQueriesContext(connection) as queries:
        close_settled()
    judged = [
        q["sql"]
        for q in queries.captured_queries
        if written(q["sql"]).lstrip().startswith("SELECT")
    ]
    assert judged
    scans = [
        sql[:300]
        for sql in judged
        for node, _limited in nodes(plan_of(sql))
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "concierge_reminder"
    ]
    assert scans == [], scans

"""On PostgreSQL, a search reads the trigram index even right after a bulk load (seeding, an import,
a rebuild), at any size: the index's pending list is kept short and emptied after bulk loads, where
a 4 MB list after seeding 10,000 clients made each search read the whole table (33 ms, not 0.1)."""

import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from clients.search import SEARCH_INDEX, flush_search_index

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="GIN pending lists and plans are PostgreSQL's"
)

CLIENTS = 10000
SYLLABLES = ["ar", "be", "cou", "dan", "el", "fo", "gri", "har", "is", "jo", "ka", "lu", "mor"]


def words(rng, n):
    return " ".join("".join(rng.choices(SYLLABLES, k=3)) for _ in range(n))


@pytest.fixture
def loaded(concierge, colleague, team):
    """Thousands of clients with search texts as long as real ones (400 characters), bulk-loaded."""
    rng = random.Random(15)
    Client.objects.bulk_create(
        Client(
            first_name="Client",
            last_name=f"Number {i:05d}",
            sort_name=f"number {i:05d}",
            search_text=f" client number {i:05d} 06{i:08d} 336{i:08d} {words(rng, 60)} ",
            primary_concierge=concierge if i % 2 else colleague,
            backup_concierge=concierge if i % 2 == 0 else None,
            team=team,
        )
        for i in range(CLIENTS)
    )


def pending_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cursor.execute("SELECT pending_pages FROM pgstatginindex(%s::regclass)", [SEARCH_INDEX])
        return cursor.fetchone()[0]


def scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    plan = (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]
    found, todo = [], [plan]
    while todo:
        node = todo.pop()
        found.append(f"{node['Node Type']} {node.get('Index Name') or node.get('Relation Name')}")
        todo.extend(node.get("Plans", []))
    return found


def test_the_index_keeps_its_pending_list_short(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [SEARCH_INDEX])
        assert "gin_pending_list_limit=256" in cursor.fetchone()[0]


@pytest.mark.parametrize("query", ["number+01234", "06+00+00+12+34"])
def test_a_search_after_a_bulk_load_reads_the_index(client, concierge, loaded, query):
    flush_search_index()
    assert pending_pages() == 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_client")
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/clients/?q={query}")
    assert response.status_code == 200 and "Number 01234" in response.content.decode()
    searches = [q["sql"] for q in queries.captured_queries if "search_text" in q["sql"]]
    assert len(searches) == 1  # the page, which is not full: nothing to count
    for sql in searches:
        plan = scans(sql)
        assert f"Bitmap Index Scan {SEARCH_INDEX}" in plan, plan
        assert "Seq Scan clients_client" not in plan, plan

"""The list's tag filter offers the tags of the clients one sees; on PostgreSQL it reads each tag's
first use among them and stops there, never every use of every tag first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client, Tag
from tests.captured import written
from tests.web.test_key_queries_use_indexes import nodes, plan_of

TAG_QUERY = 'FROM "clients_tag" WHERE'


def tag_query(queries) -> str:
    [sql] = [sql for q in queries.captured_queries if TAG_QUERY in (sql := written(q["sql"]))]
    return sql


def test_the_filter_offers_the_tags_of_visible_clients_only(client, concierge, colleague, team):
    mine, theirs, unused = (Tag.objects.create(name=n) for n in ("Opera", "Polo", "Sailing"))
    Client.objects.create(
        first_name="A", last_name="Mine", primary_concierge=concierge, team=team
    ).tags.add(mine)
    Client.objects.create(
        first_name="B", last_name="Theirs", primary_concierge=colleague, team=team
    ).tags.add(theirs)
    client.force_login(concierge)
    html = client.get("/clients/").content.decode()
    assert '<option value="Opera"' in html
    assert "Polo" not in html and "Sailing" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans (EXPLAIN)")
def test_each_tag_stops_at_its_first_visible_client(client, concierge, colleague, team):
    tags = Tag.objects.bulk_create(Tag(name=f"Tag {i}") for i in range(12))
    clients = Client.objects.bulk_create(
        Client(
            first_name="Client",
            last_name=f"{i:05d}",
            sort_name=f"{i:05d}",
            primary_concierge=concierge if i % 3 else colleague,
            team=team,
        )
        for i in range(6000)
    )
    Client.tags.through.objects.bulk_create(
        Client.tags.through(client_id=c.pk, tag_id=tags[(i + k) % 12].pk)
        for i, c in enumerate(clients)
        for k in range(3)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/clients/").status_code == 200
    found = [
        f"{node['Node Type']} {node.get('Index Name') or node.get('Relation Name')}"
        for node, _limited in nodes(plan_of(tag_query(queries)))
    ]
    # Per tag, its uses in client order from the (tag, client) index under a LIMIT 1, whatever the
    # statistics say; never a bitmap of every use built before the first is looked at.
    assert "Limit None" in found, "\n".join(found)
    assert "Index Scan clients_client_tags_tag_client" in found, "\n".join(found)
    assert not any(n.startswith("Bitmap Heap Scan clients_client_tags") for n in found), "\n".join(
        found
    )
    assert not any(n.startswith("Nested Loop Semi Join") for n in found), "\n".join(found)

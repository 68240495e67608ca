"""On PostgreSQL, with enough rows for the planner to prefer an index (a few thousand, ANALYZEd), the
queries of the client list, the search and the agenda read their tables through indexes: no
sequential scan of a large table, and no sort of more than a page's worth of rows."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client, ImportantDate, Interaction
from concierge.agenda.queries import coming_dates, day_bounds, team_summary
from concierge.reminders.models import Notification, Reminder
from requests import listing
from requests.models import ServiceRequest
from tests.captured import run, runs_generic, written

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's (EXPLAIN); SQLite has no planner statistics to check",
)

# As the crowd fills them (and the notifications' test).
LARGE = ("clients_client", "clients_importantdate", "concierge_reminder", "concierge_notification")
SORTED_AT_MOST = 300  # rows a sort may take: a page, a fence of candidates, not a table
# Enough that hashing the whole client table costs more than looking up by key the agenda's few
# hundred candidates (the fence of each list), as it does at 100,000 clients.
CLIENTS = 10000


@pytest.fixture
def crowd(concierge, colleague, team):
    """Thousands of clients (most of them someone else's), dates and live reminders, analysed."""
    now = timezone.now()
    clients = Client.objects.bulk_create(
        Client(
            first_name="Client",
            last_name=f"Number {i:05d}",
            sort_name=f"number {i:05d}",
            search_text=f" client number {i:05d} ",
            primary_concierge=concierge if i % 4 == 0 else colleague,
            team=team,
        )
        for i in range(CLIENTS)
    )
    ImportantDate.objects.bulk_create(
        ImportantDate(client=c, kind="birthday", date=datetime.date(1980, 1 + i % 12, 1 + i % 28))
        for i, c in enumerate(clients)
    )
    Reminder.objects.bulk_create(
        Reminder(
            owner=concierge if i % 4 == 0 else colleague,
            client=c,
            note=f"Call {i}",
            due_at=now + datetime.timedelta(hours=i % 400 - 200),
            state="open" if i % 3 else "done",
            dedupe_key=f"crowd:{i}",
            kind=Reminder.Kind.CADENCE if i % 8 == 0 else Reminder.Kind.MANUAL,
        )
        for i, c in enumerate(clients)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan_of(sql: str, generic: bool = False) -> dict:
    """PostgreSQL's plan of a captured query (EXPLAIN, not run); `generic`: the one plan made
    without the values, which a statement run with compiled.rows(generic=True) runs on."""
    with connection.cursor() as cursor:
        if generic:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {run(sql)}")
            raw = cursor.fetchone()[0]
        finally:
            if generic:
                cursor.execute("RESET plan_cache_mode")
    return (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]


def nodes(plan: dict, limited: bool = False):
    """Each node of the plan, and whether a LIMIT above it stops it early."""
    yield plan, limited
    limited = limited or plan["Node Type"] == "Limit"
    for child in plan.get("Plans", []):
        yield from nodes(child, limited)


def problems(page_queries, generic: bool = False) -> list[str]:
    """What reads a large table whole or sorts more than a page, in each query's plan: the one it
    ran on (made without the values, for a statement run so) and, with `generic`, that one always."""
    found = []
    for query in page_queries:
        sql = query["sql"]
        if not written(sql).lstrip().lstrip("(").upper().startswith("SELECT"):  # "(SELECT": a union
            continue
        plan = plan_of(sql, generic or runs_generic(sql))
        for node, limited in nodes(plan):
            kind = node["Node Type"]
            # A scan under a LIMIT that needs no sort stops early (a capped count): not the table.
            if kind == "Seq Scan" and node.get("Relation Name") in LARGE and not limited:
                found.append(f"Seq Scan on {node['Relation Name']} in: {sql[:300]}")
            if kind in ("Sort", "Incremental Sort") and node["Plan Rows"] > SORTED_AT_MOST:
                found.append(f"Sort of {node['Plan Rows']} rows in: {sql[:300]}")
    return found


@pytest.mark.parametrize(
    "path",
    ["/clients/", "/clients/?q=number+01234", "/clients/?q=06+12+34+56+78", "/agenda/"],
)
def test_the_page_reads_through_indexes(client, concierge, crowd, path):
    client.force_login(concierge)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    found = problems(queries.captured_queries)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ["concierge", "manager"])
def test_the_agendas_side_column_reads_through_indexes_on_the_plans_it_runs_on(
    client, role, request, crowd
):
    """A concierge's coming dates and everyone's requests due run on their one plan made without
    the values (compiled.rows(generic=True)); a manager's dates, whose such plan reads the whole
    team's, are planned for their values. Either way, no table is read whole."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.get("/agenda/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agenda/").status_code == 200
    side = {
        name: [q for q in queries.captured_queries if f'FROM "{table}"' in written(q["sql"])]
        for name, table in (
            ("dates", "clients_importantdate"),
            ("requests", "requests_servicerequest"),
        )
    }
    # The requests due (a manager's page also counts the team's late requests, per teammate).
    due = 'SELECT "requests_servicerequest".'
    side["requests"] = [q for q in side["requests"] if written(q["sql"]).startswith(due)]
    assert len(side["dates"]) == 2 and len(side["requests"]) == 1
    assert [runs_generic(q["sql"]) for q in side["dates"]] == [role == "concierge"] * 2
    assert runs_generic(side["requests"][0]["sql"])
    found = problems(side["dates"] + side["requests"])
    assert not found, "\n".join(found)


def test_the_agenda_lists_walk_the_partial_index_of_live_prompts(client, concierge, crowd):
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        client.get("/agenda/")
    used = set()
    for query in queries.captured_queries:
        if "concierge_reminder" not in written(query["sql"]):
            continue
        used |= {n.get("Index Name") for n, _limited in nodes(plan_of(query["sql"]))}
    assert "reminder_agenda" in used


@pytest.mark.parametrize("role", ["concierge", "manager"])
def test_the_agendas_judging_on_the_one_plan_it_runs_on_reads_by_key(client, role, request, crowd):
    """The judging of the lists' candidates runs on its one plan made without the values from the
    first run (compiled.rows(generic=True)): whoever the user, their ids drive it, each candidate
    and its subjects looked up by key."""
    user = request.getfixturevalue(role)
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            owner=user,
            client=c,
            note=f"Mine {i}",
            due_at=now - datetime.timedelta(hours=i),
            dedupe_key=f"{role}:{i}",
        )
        for i, c in enumerate(Client.objects.order_by("pk")[:300])
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE concierge_reminder")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agenda/").status_code == 200
    judging = [q for q in queries.captured_queries if "= ANY(" in written(q["sql"])]
    judging = [q for q in judging if "CASE WHEN" in written(q["sql"])]
    assert judging
    found = problems(judging, generic=True)
    assert not found, "\n".join(found)


def test_the_team_summary_reads_through_indexes_on_the_plans_it_runs_on(
    manager, concierge, colleague, crowd
):
    """A manager's "Your team today" over the team's thousands of live prompts and late requests,
    in three queries: the teammates, whose late requests are read from the index of open requests
    by assignee; the first candidates of each teammate's lists, from the partial indexes of live
    prompts; and their judging, read by key (a catch-up's items along their own index). Planned
    for the values or on the one plan made without them, no table is read whole."""
    now = timezone.now()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=c,
            assignee=c.primary_concierge,
            title=f"Late {i}",
            status="new" if i % 2 else "closed",
            due_at=now - datetime.timedelta(hours=1 + i % 500),
        )
        for i, c in enumerate(Client.objects.order_by("pk"))
    )
    catch_up = Reminder.objects.create(
        owner=colleague, kind=Reminder.Kind.CATCH_UP, due_at=now, dedupe_key="catch-up"
    )
    late = Reminder.objects.filter(owner=colleague, state="open", due_at__lt=now)
    Reminder.objects.filter(pk__in=list(late.values_list("pk", flat=True)[:2000])).update(
        catch_up=catch_up
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _today, end = day_bounds(manager, now)
    team_summary(manager, now, end)  # compiled, prepared
    with CaptureQueriesContext(connection) as queries:
        rows = team_summary(manager, now, end)

    assert {row["member"].username: row["overdue"] for row in rows} == {
        "owner": 100,
        "colleague": 100,
    }
    assert len(queries) == 3
    walked = set()
    for generic in (False, True):
        found = problems(queries.captured_queries, generic)
        assert not found, "\n".join(found)
        for query in queries.captured_queries:
            plan = plan_of(query["sql"], generic)
            walked |= {node.get("Index Name") for node, _limited in nodes(plan)}
    assert {
        "request_open_by_due",
        "reminder_agenda",
        "reminder_agenda_calls",
        "reminder_catch_up_items",
        "concierge_reminder_pkey",
    } <= walked, walked


def test_the_coming_dates_stop_at_the_page_on_a_crowded_day(client, concierge, crowd):
    """A thousand of the concierge's clients born today: the side column reads its first page of
    dates in (day, key) order from an index and stops there, instead of reading the whole day to
    sort it by name (600 dates a day at 100,000 clients)."""
    today = timezone.localdate()
    mine = Client.objects.filter(primary_concierge=concierge).order_by("pk")[:1000]
    ImportantDate.objects.bulk_create(
        ImportantDate(client=c, kind="birthday", date=today.replace(year=1970)) for c in mine
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_importantdate")
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/agenda/").status_code == 200
    sorts = []
    for query in queries.captured_queries:
        if 'FROM "clients_importantdate"' not in query["sql"] or "COUNT(" in query["sql"]:
            continue
        plan = plan_of(query["sql"])
        sorts += [
            f"{n['Node Type']} in: {query['sql'][:400]}"
            for n, _l in nodes(plan)
            if "Sort" in n["Node Type"]
        ]
    assert not sorts, "\n".join(sorts)


@pytest.mark.parametrize(
    "today", [datetime.date(2026, 5, 10), datetime.date(2026, 12, 24), datetime.date(2026, 12, 31)]
)
def test_the_coming_dates_read_the_month_day_index_in_order_even_across_the_new_year(
    concierge, crowd, today
):
    """In the last two weeks of December the window runs into January: December's days, then
    January's, each an index range stopped by its LIMIT, never a sort of the whole window."""
    around_new_year = [datetime.date(1980, 12, 18) + datetime.timedelta(days=d) for d in range(28)]
    ImportantDate.objects.bulk_create(
        ImportantDate(client=c, kind="anniversary", date=around_new_year[i % 28])
        for i, c in enumerate(Client.objects.filter(primary_concierge=concierge))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_importantdate")
    with CaptureQueriesContext(connection) as queries:
        shown, _more = coming_dates(concierge, today)
    found = problems(queries.captured_queries)
    for query in queries.captured_queries:  # the index's order kept: no sort on a computed key
        for node, _limited in nodes(plan_of(query["sql"])):
            if any("CASE" in key for key in node.get("Sort Key", [])):
                found.append(f"Sort on {node['Sort Key']} in: {query['sql'][:300]}")
    assert not found, "\n".join(found)
    assert shown == sorted(shown, key=lambda item: item.next_on)
    assert shown[0].next_on >= today


def test_a_managers_list_reads_the_queue_first_through_an_index(client, manager, crowd):
    client.force_login(manager)
    client.get("/clients/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/clients/").status_code == 200
    found = problems(queries.captured_queries)
    assert not found, "\n".join(found)


def test_the_boards_column_counts_walk_a_status_index_in_due_order(client, concierge, crowd):
    """Closed requests by the thousand, most of them old: the closed column counts its recent ones
    by walking the (assignee, status, due_at) index from `since`, never by a merge join along the
    client index (the planner's gamble when it overestimates the recent ones: 22 ms at 100,000)."""
    now = timezone.now()
    Client.objects.update(backup_concierge=concierge)  # they see every client, as in a small team
    everyone = list(Client.objects.order_by("pk"))
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=c,
            assignee=concierge,
            title=f"Request {i}",
            status=("closed", "closed", "closed", "new", "in_progress")[i % 5],
            # The recent ones are the newest clients': far along the client index.
            due_at=now - datetime.timedelta(days=2 if i > len(everyone) * 0.9 else 400 + i % 300),
        )
        for i, c in enumerate(everyone)
        for _ in range(3)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/requests/?view=board").status_code == 200
    (counts,) = [q["sql"] for q in queries.captured_queries if "capped" in written(q["sql"])]
    for generic in (False, True):  # planned for the values, and the one plan it runs on
        plan = plan_of(counts, generic)
        kinds = [node["Node Type"] for node, _limited in nodes(plan)]
        assert "Merge Join" not in kinds, kinds
        assert not problems([{"sql": counts}], generic)
        walked = {node.get("Index Name") for node, _limited in nodes(plan)}
        assert "requests_servicerequest_client_id_4865db7b" not in walked, walked


@pytest.mark.parametrize("role", ["concierge", "manager"])
def test_the_boards_folded_columns_read_their_latest_ended_in_order(client, role, request, crowd):
    """Thousands of closed and cancelled requests, hundreds of them this month: each folded column
    reads its latest ended ones from a partial index in that order, the concierge's own and the
    team's, instead of sorting the month's (which made the planner start a parallel worker)."""
    concierge = request.getfixturevalue("concierge")
    user = request.getfixturevalue(role)
    now = timezone.now()
    Client.objects.update(backup_concierge=concierge)
    everyone = list(Client.objects.order_by("pk"))
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=c,
            assignee=concierge,
            title=f"Request {i}",
            status=status,
            due_at=now - datetime.timedelta(days=i % 60),
            closed_at=now - datetime.timedelta(days=i % 60) if status == "closed" else None,
            cancelled_at=now - datetime.timedelta(days=i % 60) if status == "cancelled" else None,
        )
        for i, c in enumerate(everyone)
        for status in ("closed", "cancelled")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/requests/?view=board").status_code == 200
    # The board is one statement, one arm per column in BOARD_STATUSES' order: closed and
    # cancelled are the last two.
    (board,) = [q["sql"] for q in queries.captured_queries if " UNION ALL " in written(q["sql"])]
    for generic in (False, True):  # planned for the values, and the one plan it runs on
        union = plan_of(board, generic)
        assert union["Node Type"] == "Append", union["Node Type"]
        assert len(union["Plans"]) == len(listing.BOARD_STATUSES)
        for plan in union["Plans"][-2:]:
            kinds = [node["Node Type"] for node, _limited in nodes(plan)]
            assert not {"Sort", "Incremental Sort", "Gather", "Gather Merge"} & set(kinds), kinds
            walked = {node.get("Index Name") for node, _limited in nodes(plan)}
            assert walked & {
                f"request_{s}_by_end{x}" for s in ("closed", "cancelled") for x in ("", "_all")
            }


@pytest.mark.django_db(transaction=True)  # VACUUM: the visibility map, as autovacuum keeps it
def test_the_request_lists_count_reads_my_requests_from_an_index(
    client, concierge, colleague, crowd
):
    """Thousands of requests, half of them a colleague's (as at 100,000 clients): the list's capped
    count ("more than 2,000") reads the concierge's own from the (assignee, client) index, in
    client order for the join, instead of walking every request by client and dropping the
    others' (20 ms to 8 ms at 100,000 clients)."""
    Client.objects.update(backup_concierge=concierge)
    ServiceRequest.objects.bulk_create(
        ServiceRequest(client=c, assignee=colleague if i % 2 else concierge, title=f"R {i}")
        for i, c in enumerate(Client.objects.order_by("pk"))
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/requests/").status_code == 200
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in written(q["sql"])]
    plan = plan_of(count)
    walked = {node.get("Index Name") for node, _limited in nodes(plan)}
    assert "request_assignee_client" in walked, walked
    assert not problems([{"sql": count}])


@pytest.mark.parametrize("role", ["concierge", "manager"])
@pytest.mark.parametrize(
    "path", ["/notifications/", "/notifications/?page=3", "/notifications/count/"]
)
def test_the_notifications_read_a_page_from_the_users_index_on_the_plans_they_run_on(
    client, role, path, request, crowd
):
    """Thousands of notifications (a notification for each of the crowd's reminders, a catch-up
    listing thousands among them): the page reads its rows newest first from the user's index
    and stops, each row's reminder looked up by key for the reader's rule; the bell judges its
    first unread ones by key. On the one plan each runs on (made without the values): no table
    read whole, no sort of more than a page."""
    user = request.getfixturevalue(role)
    now = timezone.now()
    catch_up = Reminder.objects.create(
        owner=user, kind=Reminder.Kind.CATCH_UP, due_at=now, dedupe_key="crowd:catch-up"
    )
    Reminder.objects.filter(owner=request.getfixturevalue("concierge")).update(
        owner=user, catch_up=catch_up
    )
    Notification.objects.bulk_create(
        Notification(
            user=user if reminder.owner_id == user.pk else reminder.owner,
            reminder=reminder,
            created_at=now - datetime.timedelta(minutes=i),
            read_at=now if i % 3 == 0 else None,
        )
        for i, reminder in enumerate(Reminder.objects.order_by("pk"))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(user)
    for _ in range(2):  # the second: on the plans the statements keep
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
    walked = set()
    for query in queries.captured_queries:
        if runs_generic(query["sql"]):
            walked |= {n.get("Index Name") for n, _l in nodes(plan_of(query["sql"], True))}
    assert path == "/notifications/count/" or "notification_newest" in walked, walked
    found = problems(queries.captured_queries, generic=True)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ["concierge", "manager"])
def test_the_record_pickers_recent_clients_read_the_authors_latest_from_an_index(
    client, role, request, crowd
):
    """Thousands of interactions by the user and by others: the recent clients are the user's
    latest, read newest first from the index by author and moment, which stops after a few rows
    (not all of the user's interactions sorted)."""
    user = request.getfixturevalue(role)
    other = request.getfixturevalue("colleague")
    now = timezone.now()
    Interaction.objects.bulk_create(
        Interaction(client=c, by=user if i % 2 else other, occurred_at=now - datetime.timedelta(i))
        for i, c in enumerate(Client.objects.order_by("pk")[:6000])
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clients_interaction")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/record/").status_code == 200
    recent = [
        q for q in queries.captured_queries if q["sql"].startswith('SELECT "clients_interaction"')
    ]
    assert len(recent) == 1
    plan = plan_of(recent[0]["sql"])
    assert "interaction_by_author_latest" in {n.get("Index Name") for n, _l in nodes(plan)}
    assert not [n for n, _l in nodes(plan) if n["Node Type"] in ("Sort", "Seq Scan")]


@pytest.mark.parametrize("role", ["concierge", "manager"])
def test_the_record_pickers_clients_of_today_read_a_bounded_set(client, role, request, crowd):
    """The clients of today come from the first candidates of the agenda's lists, judged, and the
    first requests due, then those clients by key: never the portfolio walked in name order with a
    test per client (for a manager with nothing due, every client of the team was read)."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.get("/record/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/record/").status_code == 200
    found = problems(queries.captured_queries)
    assert not found, "\n".join(found)
    today = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "clients_client"') and '"sort_name" ASC' in q["sql"]
    ]
    # A manager with nothing due reads no client at all; a concierge's are those of a bounded set
    # of ids (not every client the rule lets through, tested in the portfolio's order).
    assert len(today) == (1 if role == "concierge" else 0)
    assert all("= ANY(" in sql for sql in today)

"""A query compiled once (concierge.common.compiled) gives the rows the ORM gives, for any values."""

import datetime

import pytest
from django.db import DataError, connection, transaction
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import ImportantDate, Preference, Relation
from concierge.common import compiled
from concierge.reminders.models import LIVE_STATES, Reminder
from concierge.reminders.services import reminder_create
from tests.factories import ClientFactory, ImportantDateFactory

pytestmark = pytest.mark.django_db


def made(concierge, n):
    now = timezone.now()
    client = ClientFactory(primary_concierge=concierge)
    return [
        reminder_create(
            owner=concierge,
            by=concierge,
            title=f"R{i}",
            client=client,
            due_at=now + datetime.timedelta(hours=i - n // 2),
        )
        for i in range(n)
    ]


def build(owner, ids, since, on_or_after):
    return (
        Reminder.objects.filter(owner=owner, pk__in=ids, due_at__gte=since)
        .filter(due_at__date__gte=on_or_after)
        .annotate(one=Value(1))
        .order_by("due_at", "pk")
        .values_list("pk", "due_at")
    )


@pytest.mark.parametrize("hours", [-100, -3, 0, 5])
def test_the_rows_are_the_orms_whatever_the_values(concierge, colleague, hours):
    reminders = made(concierge, 10) + made(colleague, 4)
    since = timezone.now() + datetime.timedelta(hours=hours)
    ids = [r.pk for r in reminders[::2]]
    values = {"owner": concierge.pk, "ids": ids, "since": since, "on_or_after": since.date()}

    rows = compiled.rows(("test", len(ids)), build, values)

    expected = list(build(**values))
    assert [(pk, compiled.as_datetime(due)) for pk, due in rows] == expected
    assert expected or hours == 5


def test_the_same_key_runs_again_with_other_values(concierge, colleague):
    mine, theirs = made(concierge, 3), made(colleague, 3)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for owner, reminders in ((concierge, mine), (colleague, theirs)):
        values = {
            "owner": owner.pk,
            "ids": [r.pk for r in reminders],
            "since": long_ago,
            "on_or_after": long_ago.date(),
        }
        rows = compiled.rows(("again", 3), build, values)
        assert {pk for pk, _due in rows} == {r.pk for r in reminders}


def test_a_value_the_orm_writes_into_the_sql_cannot_be_a_marker(concierge):
    def sliced(owner, limit):
        return Reminder.objects.filter(owner=owner).values_list("pk")[:limit]

    with pytest.raises(ValueError, match="limit"):
        compiled.rows(("sliced",), sliced, {"owner": concierge.pk, "limit": 3})


# Model instances: compiled once, read by the ORM's own iterable
def dates_of(owner, month_days, first, limit=50):
    return (
        ImportantDate.objects.filter(client__primary_concierge=owner, month_day__in=month_days)
        .filter(month_day__gte=first)
        .select_related("client")
        .only("date", "month_day", "client__last_name")
        .order_by("month_day", "pk")[:limit]
    )


def test_instances_are_the_orms_with_their_related_rows(concierge, colleague):
    for owner in (concierge, colleague):
        for month in (1, 3, 5):
            ImportantDateFactory(
                client__primary_concierge=owner, date=datetime.date(1980, month, 9)
            )
    # month_day is a small integer: the ORM types its values (Int2 on PostgreSQL), and refuses a
    # value out of the column's range before writing SQL; the markers must pass for its own.
    for owner, first in ((concierge, 100), (colleague, 300), (concierge, 500)):
        values = {"owner": owner.pk, "month_days": [109, 309, 509], "first": first}

        found = compiled.objects(("dates", 3), dates_of, values)

        expected = list(dates_of(**values))
        assert [(d.pk, d.month_day, d.client.last_name) for d in found] == [
            (d.pk, d.month_day, d.client.last_name) for d in expected
        ]
        assert expected and all(d.client.primary_concierge_id == owner.pk for d in found)
        with CaptureQueriesContext(connection) as read:
            [d.client.last_name for d in found]  # select_related: read with the rows
        assert not read.captured_queries


def test_values_are_read_with_rows_not_objects(concierge):
    def values_of(owner):
        return Reminder.objects.filter(owner=owner).values_list("pk")

    with pytest.raises(TypeError, match="rows"):
        compiled.objects(("values",), values_of, {"owner": concierge.pk})


def test_ids_match_reads_the_rows_of_those_ids(concierge, colleague):
    reminders = made(concierge, 6) + made(colleague, 2)

    def by_key(ids):
        return Reminder.objects.filter(compiled.IdsMatch("pk", ids)).select_related("client")

    for chosen in (reminders[:3], reminders[4:], []):
        found = compiled.objects(("by-key",), by_key, {"ids": compiled.Ids(r.pk for r in chosen)})
        assert sorted(r.pk for r in found) == sorted(r.pk for r in chosen)


def preferences(client, since):
    return (
        Preference.objects.filter(client_id=client, captured_at__gte=since)
        .select_related("relation", "captured_by")
        .annotate(one=Value(1))
        .order_by("pk")
    )


def fields_of(preference):
    return (
        preference.pk,
        preference.detail,
        preference.captured_at,
        preference.one,
        preference.relation.name if preference.relation else None,
        preference.captured_by.display_name if preference.captured_by else None,
    )


def test_objects_are_the_orms_with_their_joined_rows_whatever_the_values(
    concierge, colleague, django_assert_num_queries
):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for who in (concierge, colleague, None):
        client = ClientFactory(primary_concierge=concierge)
        spouse = Relation.objects.create(client=client, kind="spouse", name="Inès")
        for n, relation in enumerate((spouse, None)):
            Preference.objects.create(
                client=client,
                category="dining",
                kind="like",
                detail=f"{who} {n}",
                relation=relation,
                captured_by=who,
            )
        values = {"client": client.pk, "since": long_ago}

        with django_assert_num_queries(1):  # the joined rows come with them
            found = [fields_of(p) for p in compiled.objects(("prefs",), preferences, values)]

        assert found == [fields_of(p) for p in preferences(**values)]
        assert len(found) == 2


def test_objects_read_prefetched_rows_as_the_orm_does(concierge, django_assert_num_queries):
    def prefetched(client):
        return Preference.objects.filter(client_id=client).prefetch_related("relation")

    client = ClientFactory(primary_concierge=concierge)
    spouse = Relation.objects.create(client=client, kind="spouse", name="Inès")
    Preference.objects.create(client=client, category="dining", kind="like", relation=spouse)

    with django_assert_num_queries(2):  # the rows, then the prefetched relations
        found = compiled.objects(("prefetched",), prefetched, {"client": client.pk})
        assert [p.relation.name for p in found] == ["Inès"]


# --- On PostgreSQL, each compiled query is a prepared statement of the connection ----------------
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _owned_by(owner_constant):
    # The owner is a constant of the build (written into the SQL by the ORM as a parameter), not a
    # value: two keys give the same SQL with different constants.
    return lambda since: Reminder.objects.filter(
        owner=owner_constant, due_at__gte=since
    ).values_list("pk", flat=True)


def test_queries_with_the_same_sql_and_other_constants_answer_each_their_own(concierge, colleague):
    made(concierge, 2), made(colleague, 3)
    since = timezone.now() - datetime.timedelta(days=30)

    mine = compiled.rows(("test-owner", concierge.pk), _owned_by(concierge.pk), {"since": since})
    theirs = compiled.rows(("test-owner", colleague.pk), _owned_by(colleague.pk), {"since": since})

    assert (len(mine), len(theirs)) == (2, 3)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_again_on_a_new_connection(concierge):
    made(concierge, 2)
    values = {"since": timezone.now() - datetime.timedelta(days=1)}
    key = ("test-reconnect", concierge.pk)
    assert len(compiled.rows(key, _owned_by(concierge.pk), values)) == 2
    pid = connection.connection.info.backend_pid

    connection.close()  # the server forgets the session's prepared statements

    assert len(compiled.rows(key, _owned_by(concierge.pk), values)) == 2
    assert connection.connection.info.backend_pid != pid


@on_postgresql
def test_preparing_is_not_a_query_of_the_page(concierge, django_assert_num_queries):
    values = {"since": timezone.now()}
    with django_assert_num_queries(1):
        compiled.rows(("test-counted", concierge.pk, "first"), _owned_by(concierge.pk), values)


@on_postgresql
def test_the_statement_holds_the_constants_and_takes_the_values_alone(concierge):
    """The constants are written into the statement: a plan made for any values still proves a
    partial index's condition from them (the live states of the agenda's indexes)."""

    def live_of(owner, until):
        return (
            Reminder.objects.live()
            .filter(owner=owner, catch_up__isnull=True, due_at__lt=until)
            .order_by("due_at", "id")
            .values_list("pk", flat=True)[:5]
        )

    compiled.rows(("test-constants",), live_of, {"owner": concierge.pk, "until": timezone.now()})
    [query] = [q for k, q in compiled._compiled.items() if k[0] == ("test-constants",)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, parameter_types::text FROM pg_prepared_statements WHERE name = %s",
            [query.name],
        )
        statement, types = cursor.fetchone()
    assert all(f"'{state}'" in statement for state in LIVE_STATES), statement
    assert "$1" in statement and "$2" in statement and "$3" not in statement
    assert sorted(types.strip("{}").split(",")) == ['"timestamp with time zone"', "bigint"]


def test_a_query_without_values_runs_too(concierge):
    made(concierge, 2)
    every = compiled.rows(("test-no-values",), lambda: Reminder.objects.values_list("pk"), {})
    assert len(every) == 2


def _plans(query) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [query.name],
        )
        return cursor.fetchone()


@on_postgresql
def test_a_generic_statement_runs_on_its_one_plan_from_the_first_run(concierge):
    """Left to choose, PostgreSQL plans a prepared statement's first five runs for their values:
    a statement marked generic is planned once, and the connection is left to choose for the
    others."""
    made(concierge, 2)
    values = {"since": timezone.now() - datetime.timedelta(days=1)}
    for key, generic in (("test-generic", True), ("test-chosen", False)):
        for _ in range(3):
            found = compiled.rows((key,), _owned_by(concierge.pk), values, generic=generic)
            assert len(found) == 2
    [generic] = [q for k, q in compiled._compiled.items() if k[0] == ("test-generic",)]
    [chosen] = [q for k, q in compiled._compiled.items() if k[0] == ("test-chosen",)]

    assert _plans(generic) == (3, 0)
    assert _plans(chosen) == (0, 3)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)


@on_postgresql
def test_a_generic_statement_that_fails_in_a_transaction_leaves_its_own_error(concierge):
    made(concierge, 1)

    def divided(by):
        return Reminder.objects.annotate(q=F("id") / by).values_list("q")

    with pytest.raises(DataError), transaction.atomic():  # division by zero, as it happened
        compiled.rows(("test-generic-fails",), divided, {"by": 0}, generic=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)  # rolled back with the transaction


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_generic_statement_that_fails_alone_leaves_the_connection_to_choose(concierge):
    """Outside a transaction the setting, the statement and its reset are one message, run as one
    transaction of their own: a failure takes the setting away with it."""
    made(concierge, 1)

    def divided(by):
        return Reminder.objects.annotate(q=F("id") / by).values_list("q")

    with pytest.raises(DataError):
        compiled.rows(("test-generic-fails-alone",), divided, {"by": 0}, generic=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)
    assert compiled.rows(("test-generic-fails-alone",), divided, {"by": 1}, generic=True)

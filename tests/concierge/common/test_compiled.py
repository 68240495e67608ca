"""A query compiled once (concierge.common.compiled) gives the rows the ORM gives, for any values."""

import datetime

import pytest
from django.db.models import Value
from django.utils import timezone

from clients.models import Preference, Relation
from concierge.common import compiled
from concierge.reminders.models import Reminder
from concierge.reminders.services import reminder_create
from tests.factories import ClientFactory

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


def test_objects_refuse_what_they_would_not_read():
    def prefetched(client):
        return Preference.objects.filter(client_id=client).prefetch_related("relation")

    def values(client):
        return Preference.objects.filter(client_id=client).values("pk")

    for build in (prefetched, values):
        with pytest.raises(ValueError):
            compiled.objects(("refused", build.__name__), build, {"client": 1})

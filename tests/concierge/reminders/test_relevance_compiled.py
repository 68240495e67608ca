"""The subject's test compiled once (the agenda's `judged`, which also says who may act) answers
exactly what the ORM's `that_matter(now, catch_ups=False)` answers, for every kind, at any moment,
on either database."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from concierge.accounts.models import User
from concierge.agenda.queries import judged
from concierge.reminders.models import Reminder
from concierge.reminders.services import SETTLED_TOGETHER as GROUPS
from concierge.reminders.sweep import sweep
from requests.models import ServiceRequest, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The demo's clients swept: reminders of every kind, then some of their reasons gone."""
    call_command("seed_demo", clients=60, seed=7)
    sweep()
    # Requests settle: their prompts no longer matter (or a follow-up now does).
    for service_request in ServiceRequest.objects.filter(status=Status.IN_PROGRESS)[:5]:
        ServiceRequest.objects.filter(pk=service_request.pk).update(status=Status.FULFILLED)
    ServiceRequest.objects.filter(status=Status.NEW).update(status=Status.CLOSED)
    # A few are closed: a closed prompt never matters.
    closed = list(Reminder.objects.values_list("pk", flat=True)[:3])
    Reminder.objects.filter(pk__in=closed).update(state=Reminder.State.DONE)
    return list(Reminder.objects.values_list("pk", flat=True))


def subjects_that_matter(ids, now):
    mattering, _may_act = judged(User.objects.get(username="camille"), now, set(ids))
    return mattering


def by_the_orm(ids, now):
    return set(
        Reminder.objects.filter(pk__in=ids)
        .live()
        .that_matter(now, catch_ups=False)
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("days", [0, 1, 15, 200, 400])
def test_the_compiled_test_answers_as_the_orm_does(world, days):
    now = timezone.now() + datetime.timedelta(days=days)
    kinds = set(Reminder.objects.filter(pk__in=world).values_list("kind", flat=True))

    compiled = subjects_that_matter(world, now)

    assert compiled == by_the_orm(world, now)
    assert len(kinds) >= 5  # the world has several kinds to judge
    assert 0 < len(compiled) < len(world)  # and some matter, some not


def test_only_the_ids_asked_about_are_answered(world):
    now = timezone.now()
    some = world[::3]
    assert subjects_that_matter(some, now) == by_the_orm(some, now)
    assert subjects_that_matter([], now) == set()


def test_it_is_one_query_however_many_prompts(world, django_assert_num_queries):
    camille = User.objects.get(username="camille")
    judged(camille, timezone.now(), set(world))  # compiled on first use
    # Who is away now (the access rule's stand-ins), then every prompt judged in one query.
    with django_assert_num_queries(2):
        judged(camille, timezone.now(), set(world))


def test_the_agenda_of_every_kind_reads_no_row_twice(world, client, django_assert_max_num_queries):
    """Rows are read with only the columns their words use: a word reading one more column would
    cost a query per row (each deferred column is fetched alone)."""
    for user in User.objects.filter(username__in=["camille", "julien"]):
        client.force_login(user)
        client.get("/agenda/")
        with django_assert_max_num_queries(15):
            html = client.get("/agenda/?show=overdue").content.decode()
        assert "agenda-item" in html


@pytest.mark.parametrize("days", [0, 1, 15, 400])
def test_settling_compiled_per_group_of_kinds_answers_as_the_orm_does(world, days):
    """What settling closes (relevance.settled_of_kinds, compiled once per group) is what the ORM's
    `that_matter(now)` leaves out, group by group, at any moment (no value baked in)."""
    from concierge.reminders.relevance import settled_of_kinds

    now = timezone.now() + datetime.timedelta(days=days)
    live = Reminder.objects.live()
    settled = set()
    for kinds in GROUPS:
        orm = set(
            live.filter(kind__in=kinds)
            .exclude(pk__in=live.that_matter(now).values("pk"))
            .values_list("pk", flat=True)
        )
        compiled = settled_of_kinds(kinds, now)
        assert set(compiled) == orm, kinds
        settled |= orm
    assert settled  # some reasons are gone
    # Every kind but the prompts set by hand (which always matter) is in one group.
    assert {k for group in GROUPS for k in group} == set(Reminder.Kind) - {"manual"}

"""The beat computes every managed team's dashboard before its entry expires, so that no manager
waits for the cold computation; figures begun before the manager's own move are never read after it."""

import os
import re
from unittest import mock

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.team import dashboard
from concierge.team.dashboard import (
    team_dashboard_cached,
    team_dashboard_forget,
    team_dashboard_refresh,
)
from concierge.team.tasks import refresh_team_dashboards_task
from tests.conftest import ARTIFACTS, wait_for
from tests.factories import ClientFactory

from .test_dashboard import clients_figure, populate


def no_computation():
    return mock.patch.object(
        dashboard, "team_dashboard_of", side_effect=AssertionError("computed on reading")
    )


def clients_of(board, member) -> int:
    return next(row.clients for row in board.rows if row.member.pk == member.pk)


def test_after_a_refresh_the_page_reads_the_figures_without_computing_them(
    manager_client, manager, concierge, colleague, outside_manager
):
    populate(concierge, colleague, 4)
    assert refresh_team_dashboards_task() == 2  # ours and the other manager's team
    with no_computation(), CaptureQueriesContext(connection) as queries:
        html = manager_client.get("/team/").content.decode()
    assert clients_figure(html, concierge) == 2
    assert not any("clients_client" in q["sql"] for q in queries.captured_queries)


def test_each_refresh_brings_the_figures_up_to_date(manager, concierge, colleague):
    populate(concierge, colleague, 4)
    team_dashboard_refresh(manager.team_id)
    ClientFactory(primary_concierge=concierge)  # a change the dashboard is not told about
    assert clients_of(team_dashboard_cached(manager), concierge) == 2  # within its minute
    refresh_team_dashboards_task()
    with no_computation():
        assert clients_of(team_dashboard_cached(manager), concierge) == 3


def test_figures_begun_before_the_managers_move_are_not_read_after_it(
    manager, concierge, colleague
):
    populate(concierge, colleague, 4)
    compute = dashboard.team_dashboard_of

    def computed_while_the_manager_moves(team_id, now=None):
        board = compute(team_id, now)  # read before the move...
        ClientFactory(primary_concierge=concierge)
        team_dashboard_forget(team_id)  # ...which commits while the refresh is still under way
        return board

    with mock.patch.object(dashboard, "team_dashboard_of", computed_while_the_manager_moves):
        stale = team_dashboard_refresh(manager.team_id)
    assert clients_of(stale, concierge) == 2
    assert clients_of(team_dashboard_cached(manager), concierge) == 3  # computed again


def test_a_cache_that_lost_the_generation_still_serves_and_forgets(manager, concierge, colleague):
    populate(concierge, colleague, 2)
    team_dashboard_forget(manager.team_id)  # no generation yet: one is made
    cache.delete(f"team-dashboard:generation:{manager.team_id}")  # evicted, or Redis restarted
    board = team_dashboard_cached(manager)
    with no_computation():
        assert team_dashboard_cached(manager).now == board.now
    team_dashboard_forget(manager.team_id)
    assert team_dashboard_cached(manager).now > board.now


def test_the_refresh_runs_on_the_beat_more_often_than_the_figures_expire(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-team-dashboards"]
    assert entry["task"] == refresh_team_dashboards_task.name
    assert entry["schedule"] <= settings.TEAM_DASHBOARD_TTL / 2
    assert entry["options"]["expires"] < entry["schedule"]


def test_a_real_worker_finds_and_runs_the_refresh(celery_worker_process, manager, concierge):
    """Through the configured broker: the worker discovers the task, runs it, and (with Redis) fills
    the cache the pages read; the embedded default's cache is each process's own."""
    shared = os.environ.get("REDIS_URL")
    worker_cache = RedisCache(shared, {}) if shared else None  # the worker's keys: no test prefix
    keys = [f"team-dashboard:v3:{manager.team_id}", f"team-dashboard:generation:{manager.team_id}"]
    if worker_cache:
        worker_cache.delete_many(keys)
    started = timezone.now()
    celery_worker_process.start()
    refresh_team_dashboards_task.apply_async(queue=celery_worker_process.queue)
    log = ARTIFACTS / f"worker-{celery_worker_process.queue}.log"
    done = re.compile(r"refresh_team_dashboards_task\[[^]]+\] succeeded in [\d.]+s: 1\b")
    assert wait_for(lambda: log.exists() and done.search(log.read_text()), timeout=60), (
        log.read_text() if log.exists() else "no worker log"
    )
    if worker_cache:
        generation, board = worker_cache.get(keys[0])
        assert generation == worker_cache.get(keys[1])
        assert board.now >= started and clients_of(board, concierge) == 0
        worker_cache.delete_many(keys)

"""The periodic heartbeat, executed by a real worker through the configured broker (not eagerly)."""

import datetime

import time_machine

from concierge.models import Heartbeat
from concierge.ops.tasks import record_heartbeat_task
from tests.conftest import wait_for


def test_a_real_worker_runs_the_heartbeat_sent_through_the_broker(celery_worker_process):
    celery_worker_process.start()
    record_heartbeat_task.apply_async(queue=celery_worker_process.queue)

    assert wait_for(lambda: Heartbeat.objects.filter(name="beat").exists())
    assert Heartbeat.objects.get(name="beat").runs == 1


def test_each_run_records_when_it_ran(db):
    first, second = (
        datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 8, 1, tzinfo=datetime.UTC),
    )
    with time_machine.travel(first, tick=False):
        record_heartbeat_task()
    with time_machine.travel(second, tick=False):
        record_heartbeat_task()
    heartbeat = Heartbeat.objects.get(name="beat")
    assert (heartbeat.runs, heartbeat.last_run_at) == (2, second)


def test_the_heartbeat_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["record-heartbeat"]
    assert entry["task"] == record_heartbeat_task.name

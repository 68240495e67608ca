from celery import shared_task

from .services import heartbeat_record


@shared_task
def record_heartbeat_task() -> None:
    heartbeat_record(name="beat")

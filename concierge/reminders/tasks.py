"""Periodic tasks (see CELERY_BEAT_SCHEDULE). Each re-reads what it needs and is safe to run twice."""

from celery import shared_task

from . import delivery, digest, sweep


@shared_task
def sweep_reminders_task() -> int:
    return sweep.sweep()


@shared_task
def sweep_contact_cadence_task() -> int:
    return sweep.sweep_cadence()


@shared_task
def deliver_due_reminders_task() -> int:
    return delivery.deliver_due()


@shared_task
def send_morning_digests_task() -> int:
    return digest.send_morning_digests()

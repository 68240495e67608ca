from celery import shared_task

from .learning import learn_anticipated_needs


@shared_task
def learn_anticipated_needs_task() -> int:
    return learn_anticipated_needs()

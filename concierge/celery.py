import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concierge.settings")

app = Celery("concierge")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The apps' own tasks modules, and those of the staff side's packages.
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["concierge.ops", "concierge.reminders", "concierge.anticipation", "concierge.team"]
)

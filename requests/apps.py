from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests"
    verbose_name = _("Requests")

    def ready(self):
        from clients.timeline import SOURCES

        from .timeline import request_entries

        if request_entries not in SOURCES:
            SOURCES.append(request_entries)

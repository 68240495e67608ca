from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests"
    verbose_name = _("Requests")

    def ready(self):
        from clients.exporting import register_readable_section
        from clients.timeline import SOURCES

        from .exporting import requests_for_export
        from .timeline import request_entries

        if request_entries not in SOURCES:
            SOURCES.append(request_entries)
        register_readable_section(requests_for_export)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests"
    verbose_name = _("Requests")

    def ready(self):
        from clients.exporting import register_readable_section
        from clients.timeline import SOURCES, VOICE_NOTE_ABOUT, About

        from .exporting import requests_for_export
        from .timeline import request_entries
        from .voice import voice_note_request

        if request_entries not in SOURCES:
            SOURCES.append(request_entries)
        about_request = About(related="request_link__service_request", label=voice_note_request)
        if about_request not in VOICE_NOTE_ABOUT:
            VOICE_NOTE_ABOUT.append(about_request)
        register_readable_section(requests_for_export)

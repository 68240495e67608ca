from django.apps import AppConfig


class ConciergeConfig(AppConfig):
    name = "concierge"
    verbose_name = "Concierge"

    def ready(self):
        # The upper layers subscribe to what the lower ones announce.
        from .accounts import receivers as _accounts  # noqa: F401
        from .reminders import receivers  # noqa: F401

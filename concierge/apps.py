from django.apps import AppConfig


class ConciergeConfig(AppConfig):
    name = "concierge"
    verbose_name = "Concierge"

    def ready(self):
        from requests import sla

        # The upper layers subscribe to what the lower ones announce.
        from .accounts import receivers as _accounts  # noqa: F401
        from .reminders import receivers  # noqa: F401
        from .reminders.policies import service_levels

        # Requests take their service levels from the client's team's tier policy.
        sla.register_targets(service_levels)

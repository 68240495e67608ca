"""Tier policies with their defaults, read once per sweep."""

from .models import TierPolicy

DEFAULT = TierPolicy(
    tier="", birthday_lead_days=14, date_lead_days=7, contact_cadence_days=30, follow_up_hours=24
)


def tier_policies() -> dict[str, TierPolicy]:
    policies = {policy.tier: policy for policy in TierPolicy.objects.all()}
    return _WithDefault(policies)


class _WithDefault(dict):
    def __missing__(self, tier):
        return DEFAULT

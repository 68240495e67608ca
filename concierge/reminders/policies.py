"""Tier policies, read once per sweep; a tier without a row gets the defaults below."""

from django.db import transaction

from clients.models import Client

from .models import TierPolicy

# tier: (birthday lead days, other dates lead days, contact cadence days, follow-up hours)
DEFAULTS = {
    Client.Tier.PRIVATE: (21, 10, 14, 12),
    Client.Tier.PREMIUM: (14, 7, 30, 24),
    Client.Tier.ESSENTIAL: (7, 3, 60, 48),
}


def default_policy(tier: str) -> TierPolicy:
    birthday, dates, cadence, follow_up = DEFAULTS.get(tier, DEFAULTS[Client.Tier.PREMIUM])
    return TierPolicy(
        tier=tier,
        birthday_lead_days=birthday,
        date_lead_days=dates,
        contact_cadence_days=cadence,
        follow_up_hours=follow_up,
    )


class _WithDefaults(dict):
    def __missing__(self, tier):
        return default_policy(tier)


def tier_policies() -> dict[str, TierPolicy]:
    policies = _WithDefaults({policy.tier: policy for policy in TierPolicy.objects.all()})
    for tier in DEFAULTS:
        policies.setdefault(tier, default_policy(tier))
    return policies


def tier_policies_save(*, policies: list[TierPolicy]) -> None:
    """Save the edited policy of each tier together: all of them or none."""
    with transaction.atomic():
        for policy in policies:
            policy.save()

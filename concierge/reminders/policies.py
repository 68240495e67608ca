"""Tier policies, read once per sweep; a tier without a row gets the defaults below."""

from django.db import transaction

from clients.models import Client
from concierge.common.conflicts import EditConflict, check_version

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


def tier_policies_save(*, policies: list[TierPolicy], versions: dict[str, int | None]) -> None:
    """Save the edited policy of each tier together: all of them or none. `versions` are those
    the form was opened at (0 for a tier with no row yet); EditConflict if any changed since."""
    with transaction.atomic():
        tiers = [policy.tier for policy in policies]
        locked = {p.tier: p for p in TierPolicy.objects.select_for_update().filter(tier__in=tiers)}
        for policy in policies:
            current = locked.get(policy.tier)
            if current is None:
                if versions.get(policy.tier) != 0:
                    raise EditConflict(default_policy(policy.tier))
                policy.pk, policy.version = None, 1
            else:
                check_version(current, versions.get(policy.tier))
                policy.pk, policy.version = current.pk, current.version + 1
            policy.save()

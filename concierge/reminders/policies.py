"""Tier policies per team, read once per sweep; a team without a row for a tier gets the defaults (a
row without a team, else the constants below)."""

import datetime

from django.db import transaction

from clients.models import Client
from concierge.common.conflicts import EditConflict, check_version
from requests import sla

from .models import TierPolicy

# tier: (birthday lead days, other dates lead days, contact cadence days, follow-up hours)
DEFAULTS = {
    Client.Tier.PRIVATE: (21, 10, 14, 12),
    Client.Tier.PREMIUM: (14, 7, 30, 24),
    Client.Tier.ESSENTIAL: (7, 3, 60, 48),
}


def default_policy(tier: str, team_id: int | None = None) -> TierPolicy:
    birthday, dates, cadence, follow_up = DEFAULTS.get(tier, DEFAULTS[Client.Tier.PREMIUM])
    return TierPolicy(
        team_id=team_id,
        tier=tier,
        birthday_lead_days=birthday,
        date_lead_days=dates,
        contact_cadence_days=cadence,
        follow_up_hours=follow_up,
        acknowledge_minutes=int(
            sla.ACKNOWLEDGE_WITHIN.get(tier, sla.ACKNOWLEDGE_WITHIN["premium"]).total_seconds()
            // 60
        ),
        deliver_hours=int(
            sla.DELIVER_WITHIN.get(tier, sla.DELIVER_WITHIN["premium"]).total_seconds() // 3600
        ),
    )


class _WithDefaults(dict):
    def __init__(self, rows, team_id=None, fallback=None):
        super().__init__(rows)
        self.team_id = team_id
        self.fallback = fallback

    def __missing__(self, tier):
        if self.fallback is not None:
            return self.fallback[tier]
        return default_policy(tier, self.team_id)


class Policies:
    """Every team's policies, read in one query: `policies.of(team_id)[tier]`."""

    def __init__(self, rows):
        self.defaults = _WithDefaults({p.tier: p for p in rows if p.team_id is None})
        by_team: dict[int, dict] = {}
        for policy in rows:
            if policy.team_id is not None:
                by_team.setdefault(policy.team_id, {})[policy.tier] = policy
        self.teams = {
            team_id: _WithDefaults(rows, team_id, self.defaults)
            for team_id, rows in by_team.items()
        }

    def of(self, team_id: int | None) -> dict[str, TierPolicy]:
        return self.teams.get(team_id, self.defaults)

    def for_client(self, client) -> TierPolicy:
        return self.of(client.team_id)[client.tier]

    def all(self):
        """Every policy in force, each tier of each team (a tier without a row: its defaults)."""
        for policies in (self.defaults, *self.teams.values()):
            yield from (policies[tier] for tier in DEFAULTS)


def all_policies() -> Policies:
    return Policies(list(TierPolicy.objects.all()))


def tier_policies(team_id: int | None = None) -> dict[str, TierPolicy]:
    """One team's policies by tier (the defaults without a team), each tier present."""
    policies = all_policies().of(team_id)
    return {tier: policies[tier] for tier in DEFAULTS}


def team_policies_for_editing(team_id: int) -> dict[str, TierPolicy]:
    """The team's own rows, or fresh ones copied from the defaults (saved with the team)."""
    current = tier_policies(team_id)
    policies = {}
    for tier, policy in current.items():
        if policy.team_id != team_id or policy.pk is None:
            copy = TierPolicy(
                **{
                    f.attname: getattr(policy, f.attname)
                    for f in TierPolicy._meta.concrete_fields
                    if f.attname not in ("id", "team_id")
                },
                team_id=team_id,
            )
            policies[tier] = copy
        else:
            policies[tier] = policy
    return policies


def tier_policies_save(
    *, team_id: int, policies: list[TierPolicy], versions: dict[str, int | None]
) -> None:
    """Save the edited policy of each tier of one team together: all of them or none. `versions`
    are those the form was opened at (0 for a tier the team has no row for yet); EditConflict if
    any changed since."""
    with transaction.atomic():
        tiers = [policy.tier for policy in policies]
        locked = {
            p.tier: p
            for p in TierPolicy.objects.select_for_update().filter(team_id=team_id, tier__in=tiers)
        }
        for policy in policies:
            assert policy.team_id == team_id, "a manager edits their own team's policies only"
            current = locked.get(policy.tier)
            if current is None:
                if versions.get(policy.tier) != 0:
                    raise EditConflict(default_policy(policy.tier, team_id))
                policy.pk, policy.version = None, 1
            else:
                check_version(current, versions.get(policy.tier))
                policy.pk, policy.version = current.pk, current.version + 1
            policy.save()


def service_levels(client) -> tuple[datetime.timedelta, datetime.timedelta] | None:
    """The client's team's targets (time to acknowledge, time to deliver) for its tier."""
    policy = (
        TierPolicy.objects.filter(team_id=client.team_id, tier=client.tier).first()
        or TierPolicy.objects.filter(team__isnull=True, tier=client.tier).first()
    )
    if policy is None:
        return None
    return (
        datetime.timedelta(minutes=policy.acknowledge_minutes),
        datetime.timedelta(hours=policy.deliver_hours),
    )

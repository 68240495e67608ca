from django.db import migrations

ACKNOWLEDGE_MINUTES = {"private": 30, "premium": 120, "essential": 480}
DELIVER_HOURS = {"private": 24, "premium": 48, "essential": 96}


def copy(apps, schema_editor):
    """The rows there were (one per tier, for everyone) stay as the defaults, with the service levels
    that were constants; each team gets its own copy, which its manager now edits."""
    TierPolicy = apps.get_model("concierge", "TierPolicy")
    Team = apps.get_model("concierge", "Team")
    defaults = list(TierPolicy.objects.filter(team__isnull=True))
    for policy in defaults:
        policy.acknowledge_minutes = ACKNOWLEDGE_MINUTES.get(policy.tier, 120)
        policy.deliver_hours = DELIVER_HOURS.get(policy.tier, 48)
        policy.save(update_fields=["acknowledge_minutes", "deliver_hours"])
    fields = [
        "birthday_lead_days",
        "date_lead_days",
        "contact_cadence_days",
        "follow_up_hours",
        "acknowledge_minutes",
        "deliver_hours",
    ]
    TierPolicy.objects.bulk_create(
        [
            TierPolicy(team_id=team_id, tier=policy.tier, **{f: getattr(policy, f) for f in fields})
            for team_id in Team.objects.values_list("pk", flat=True)
            for policy in defaults
        ],
        ignore_conflicts=True,
    )


def uncopy(apps, schema_editor):
    apps.get_model("concierge", "TierPolicy").objects.filter(team__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("concierge", "0008_absence_policies_per_team")]

    operations = [migrations.RunPython(copy, uncopy)]

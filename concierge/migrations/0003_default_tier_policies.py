from django.db import migrations

DEFAULTS = {
    # tier: (birthday lead, other dates lead, contact cadence, follow-up hours)
    "private": (21, 10, 14, 12),
    "premium": (14, 7, 30, 24),
    "essential": (7, 3, 60, 48),
}


def create(apps, schema_editor):
    TierPolicy = apps.get_model("concierge", "TierPolicy")
    for tier, (birthday, dates, cadence, follow_up) in DEFAULTS.items():
        TierPolicy.objects.get_or_create(
            tier=tier,
            defaults={
                "birthday_lead_days": birthday,
                "date_lead_days": dates,
                "contact_cadence_days": cadence,
                "follow_up_hours": follow_up,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("concierge", "0002_tierpolicy_user_calendar_token_reminder_notification_and_more")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

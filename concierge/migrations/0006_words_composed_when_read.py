"""Notifications store no words; one live prompt per subject and purpose."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("concierge", "0005_fill_reminder_subjects")]

    operations = [
        migrations.RemoveField(model_name="notification", name="body"),
        migrations.RemoveField(model_name="notification", name="title"),
        migrations.RemoveField(model_name="notification", name="url"),
        migrations.AlterField(
            model_name="notification",
            name="reminder",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="concierge.reminder"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["important_date"]), ("state__in", ["open", "snoozed"])), fields=("important_date",), name="one_live_date_prompt"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["anticipated_need"]), ("state__in", ["open", "snoozed"])), fields=("anticipated_need",), name="one_live_need_prompt"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["not_acknowledged", "due_soon", "overdue", "follow_up"]), ("state__in", ["open", "snoozed"])), fields=("service_request",), name="one_live_request_prompt"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["expiry"]), ("state__in", ["open", "snoozed"])), fields=("vendor_use",), name="one_live_expiry_prompt"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["cadence"]), ("state__in", ["open", "snoozed"])), fields=("client",), name="one_live_cadence_prompt"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(condition=models.Q(("kind__in", ["catch_up"]), ("state__in", ["open", "snoozed"])), fields=("owner",), name="one_live_catch_up"),
        ),
    ]

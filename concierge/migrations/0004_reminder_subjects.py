"""Reminders name their subject explicitly and keep only what a person typed; users have a language."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_one_category_vocabulary"),
        ("concierge", "0003_default_tier_policies"),
        ("requests", "0002_one_category_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="anticipated_need",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.anticipatedneed"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="catch_up",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="items", to="concierge.reminder"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="for_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="important_date",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="clients.importantdate"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="occurrence",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="vendor_use",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="requests.vendoruse"),
        ),
        migrations.RenameField(model_name="reminder", old_name="title", new_name="note"),
        migrations.AlterField(
            model_name="reminder",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="what"),
        ),
        migrations.RemoveField(model_name="reminder", name="body"),
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(choices=[("important_date", "Important date"), ("anticipated_need", "Anticipated need"), ("follow_up", "Follow-up call"), ("not_acknowledged", "Not acknowledged"), ("due_soon", "Due soon"), ("overdue", "Overdue"), ("expiry", "Hold or quote expiring"), ("cadence", "Time to call"), ("catch_up", "To catch up"), ("manual", "Reminder")], default="manual", max_length=20, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="state",
            field=models.CharField(choices=[("open", "Open"), ("snoozed", "Snoozed"), ("done", "Done"), ("dismissed", "Dismissed"), ("superseded", "Replaced")], default="open", max_length=10),
        ),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(blank=True, choices=[("en", "English"), ("fr", "French")], default="", max_length=8, verbose_name="language"),
        ),
    ]

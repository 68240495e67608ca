"""Reminders name their subject explicitly and store no words; users have a language.

The one-time parse of `dedupe_key` below fills the new references of existing rows; from now on
nothing reads the key back.
"""

import datetime

from django.db import migrations

LIVE = ["open", "snoozed"]
PURPOSES = [
    ("important_date_id", ["important_date"]),
    ("anticipated_need_id", ["anticipated_need"]),
    ("service_request_id", ["not_acknowledged", "due_soon", "overdue", "follow_up"]),
    ("vendor_use_id", ["expiry"]),
    ("client_id", ["cadence"]),
]


def _stamp(value):
    return datetime.datetime.strptime(value, "%Y%m%d%H%M").replace(tzinfo=datetime.UTC)


def _exact(stamp, current):
    """The subject's own moment if the key (cut to the minute) was made for it, else the key's."""
    if current is not None and current.astimezone(datetime.UTC).strftime("%Y%m%d%H%M") == stamp:
        return current
    return _stamp(stamp)


def fill_subjects(apps, schema_editor):
    Reminder = apps.get_model("concierge", "Reminder")
    Notification = apps.get_model("concierge", "Notification")
    ImportantDate = apps.get_model("clients", "ImportantDate")
    AnticipatedNeed = apps.get_model("clients", "AnticipatedNeed")
    VendorUse = apps.get_model("requests", "VendorUse")
    now = datetime.datetime.now(datetime.UTC)
    dates = set(ImportantDate.objects.values_list("pk", flat=True))
    needs = set(AnticipatedNeed.objects.values_list("pk", flat=True))
    expires = dict(VendorUse.objects.values_list("pk", "expires_at"))
    uses = set(expires)
    ServiceRequest = apps.get_model("requests", "ServiceRequest")
    due_at = dict(ServiceRequest.objects.values_list("pk", "due_at"))
    for reminder in Reminder.objects.all().iterator(chunk_size=1000):
        parts = reminder.dedupe_key.split(":")
        prefix = parts[0]
        gone = False
        try:
            if prefix == "date":
                gone = int(parts[1]) not in dates
                if not gone:
                    reminder.important_date_id = int(parts[1])
                reminder.occurrence = datetime.date.fromisoformat(parts[2])
            elif prefix == "need":
                gone = int(parts[1]) not in needs
                if not gone:
                    reminder.anticipated_need_id = int(parts[1])
                reminder.occurrence = datetime.date.fromisoformat(parts[2])
            elif prefix in ("duesoon", "overdue"):
                due = due_at.get(reminder.service_request_id)
                reminder.for_due_at = _exact(parts[2], due)
            elif prefix == "expiry":
                gone = int(parts[1]) not in uses
                if not gone:
                    reminder.vendor_use_id = int(parts[1])
                reminder.for_due_at = _exact(parts[2], expires.get(int(parts[1])))
            elif prefix == "cadence":
                reminder.occurrence = datetime.date.fromisoformat(parts[2])
        except (IndexError, ValueError):
            gone = prefix in ("date", "need", "expiry")
        if reminder.kind != "manual":
            reminder.note = ""  # composed when read from now on
        if gone and reminder.state in LIVE:
            reminder.state, reminder.closed_at = "done", now
        reminder.save()
    # One live prompt per subject and purpose: the most advanced (latest due) stays.
    for field, kinds in PURPOSES:
        live = Reminder.objects.filter(kind__in=kinds, state__in=LIVE, **{f"{field}__isnull": False})
        seen = set()
        for reminder in live.order_by(field, "-due_at", "-id"):
            subject = getattr(reminder, field)
            if subject in seen:
                reminder.state, reminder.closed_at = "superseded", now
                reminder.save(update_fields=["state", "closed_at"])
                Notification.objects.filter(reminder=reminder, read_at__isnull=True).update(
                    read_at=now
                )
            seen.add(subject)
    Notification.objects.filter(reminder__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("concierge", "0004_reminder_subjects")]

    operations = [migrations.RunPython(fill_subjects, migrations.RunPython.noop)]

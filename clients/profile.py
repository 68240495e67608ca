"""What the profile page shows, loaded in a fixed number of queries whatever the record's size."""

from django.utils import timezone

from .models import Client, ContactPoint, ImportantDate, Preference, Relation


def contact_points(client: Client):
    return list(ContactPoint.objects.filter(client=client))


def household(client: Client):
    return list(Relation.objects.filter(client=client))


def upcoming_dates(client: Client, today=None):
    """Important dates with their next occurrence, soonest first; past one-off dates last."""
    today = today or timezone.localdate()
    dates = list(ImportantDate.objects.filter(client=client).select_related("relation"))
    for item in dates:
        item.next_on = item.next_occurrence(today)
        item.days = item.days_left(today)
    return sorted(dates, key=lambda d: (d.next_on is None, d.next_on or d.date))


def preferences(client: Client):
    return list(Preference.objects.filter(client=client).select_related("relation", "captured_by"))


def preferences_by_category(prefs):
    groups: dict[str, list] = {}
    labels = dict(Preference.Category.choices)
    for pref in prefs:
        groups.setdefault(pref.category, []).append(pref)
    order = [value for value, _ in Preference.Category.choices]
    return [(labels[cat], groups[cat]) for cat in order if cat in groups]


def hard_constraints(prefs):
    """Allergies and "never" preferences: what must not be missed, most severe first."""
    severity_rank = {
        Preference.Severity.CRITICAL: 0,
        Preference.Severity.IMPORTANT: 1,
        Preference.Severity.NOTE: 2,
    }
    hard = [p for p in prefs if p.is_hard_constraint]
    return sorted(
        hard, key=lambda p: (severity_rank.get(p.severity, 3), p.kind != Preference.Kind.ALLERGY)
    )

"""What the profile page shows, loaded in a fixed number of queries whatever the record's size."""

from django.utils import timezone

from concierge.common import compiled
from concierge.common.choices import labels

from .models import Client, ContactPoint, ImportantDate, Preference, Relation

# Each part is one query, built and compiled once per process (concierge.common.compiled): building
# it cost more than the database's answer.


def _of_client(key, build, client: Client) -> list:
    return compiled.objects(("profile", key), build, {"client": client.pk})


def contact_points(client: Client):
    return _of_client(
        "contact-points", lambda client: ContactPoint.objects.filter(client_id=client), client
    )


def household(client: Client):
    return _of_client("household", lambda client: Relation.objects.filter(client_id=client), client)


def upcoming_dates(client: Client, today=None):
    """Important dates with their next occurrence, soonest first; past one-off dates last."""
    today = today or timezone.localdate()
    dates = _of_client(
        "dates",
        lambda client: ImportantDate.objects.filter(client_id=client).select_related("relation"),
        client,
    )
    for item in dates:
        item.next_on = item.next_occurrence(today)
        item.days = item.days_left(today)
    return sorted(dates, key=lambda d: (d.next_on is None, d.next_on or d.date))


def preferences(client: Client):
    return _of_client(
        "preferences",
        lambda client: Preference.objects.filter(client_id=client).select_related(
            "relation", "captured_by"
        ),
        client,
    )


def preferences_by_category(prefs):
    """(label, preferences) of each category in use, in the categories' order; the labels in the
    reader's language (a lazy label cost a hundred Python calls each time it was written)."""
    groups: dict[str, list] = {}
    for pref in prefs:
        groups.setdefault(pref.category, []).append(pref)
    names = labels(Preference.Category)
    return [(label, groups[cat]) for cat, label in names.items() if cat in groups]


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

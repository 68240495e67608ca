"""Anticipated needs on a client's profile: set by hand, or suggested by the learner and then accepted
or rejected by the concierge. A learned need is never deleted, only rejected: its row is what stops
the learner from suggesting the same pattern again."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from concierge.common import compiled
from concierge.common.conflicts import check_version

from .models import AnticipatedNeed, Category, Client

if TYPE_CHECKING:
    from concierge.accounts.models import User

EDITABLE = ("title", "category", "recurrence", "interval_days", "next_on", "lead_days")


def needs_for_profile(client: Client) -> list[AnticipatedNeed]:
    """Suggestions first, then what is coming, soonest first; rejected ones are not shown (1 query)."""
    needs = compiled.objects(
        ("profile", "needs"),
        lambda client: AnticipatedNeed.objects.filter(client_id=client).exclude(
            state=AnticipatedNeed.State.REJECTED
        ),
        {"client": client.pk},
    )
    today = timezone.localdate()
    labels = dict(Category.choices)
    for need in needs:
        need.days = (need.next_on - today).days
        need.category_label = labels.get(need.category, need.category)
        need.evidence_dates = [
            datetime.date.fromisoformat(item["date"])
            for item in (need.evidence or {}).get("requests", [])
            if item.get("date")
        ]
        need.evidence_count = (need.evidence or {}).get("count") or len(need.evidence_dates)
    order = {AnticipatedNeed.State.SUGGESTED: 0, AnticipatedNeed.State.ACTIVE: 1}
    return sorted(needs, key=lambda n: (order.get(n.state, 2), n.next_on, n.pk))


def _upcoming(need: AnticipatedNeed, today: datetime.date) -> None:
    """A recurring need whose date has passed moves on to its next occurrence (on or after today)."""
    if need.next_on < today and need.recurrence != AnticipatedNeed.Recurrence.ONCE:
        need.next_on = need.following(today - datetime.timedelta(days=1))


def need_create(*, client: Client, by: User | None, **fields) -> AnticipatedNeed:
    need = AnticipatedNeed(
        client=client,
        source=AnticipatedNeed.Source.MANUAL,
        state=AnticipatedNeed.State.ACTIVE,
        **{name: fields[name] for name in EDITABLE if name in fields},
    )
    _upcoming(need, timezone.localdate())
    need.save()
    return need


@transaction.atomic
def need_update(
    *, need: AnticipatedNeed, by: User | None, version: int | None, **fields
) -> AnticipatedNeed:
    """Raises EditConflict when the need changed since the form was opened (`version`)."""
    locked = AnticipatedNeed.objects.select_for_update().get(pk=need.pk, client_id=need.client_id)
    check_version(locked, version)
    for name in EDITABLE:
        if name in fields:
            setattr(locked, name, fields[name])
    _upcoming(locked, timezone.localdate())
    if locked.state == AnticipatedNeed.State.DONE and locked.next_on >= timezone.localdate():
        locked.state = AnticipatedNeed.State.ACTIVE  # a past one-off given a new date lives again
    locked.save()
    return locked


@transaction.atomic
def need_delete(*, need: AnticipatedNeed, by: User | None) -> None:
    locked = AnticipatedNeed.objects.select_for_update().get(pk=need.pk, client_id=need.client_id)
    if locked.source == AnticipatedNeed.Source.LEARNED:
        # Kept as rejected, so that the next learning run does not suggest it again.
        locked.state = AnticipatedNeed.State.REJECTED
        locked.save(update_fields=["state"])
    else:
        locked.delete()


@transaction.atomic
def need_accept(*, need: AnticipatedNeed, by: User | None) -> AnticipatedNeed:
    """A suggestion becomes an active need, reminded like one set by hand. Accepting twice is harmless."""
    locked = AnticipatedNeed.objects.select_for_update().get(pk=need.pk, client_id=need.client_id)
    if locked.state != AnticipatedNeed.State.SUGGESTED:
        return locked
    locked.state = AnticipatedNeed.State.ACTIVE
    # A suggestion may have waited past its date: it starts from the next occurrence.
    _upcoming(locked, timezone.localdate())
    locked.evidence = {**locked.evidence, "accepted_by": getattr(by, "pk", None)}
    locked.save()
    return locked


@transaction.atomic
def need_reject(*, need: AnticipatedNeed, by: User | None) -> AnticipatedNeed:
    locked = AnticipatedNeed.objects.select_for_update().get(pk=need.pk, client_id=need.client_id)
    if locked.state != AnticipatedNeed.State.SUGGESTED:
        return locked
    locked.state = AnticipatedNeed.State.REJECTED
    locked.evidence = {**locked.evidence, "rejected_by": getattr(by, "pk", None)}
    locked.save(update_fields=["state", "evidence"])
    return locked

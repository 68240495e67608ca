"""Satisfaction, from the client's side: responses, average score and NPS per concierge and category.

NPS = % promoters (9–10) − % detractors (0–6), of the responses. One aggregate query groups the
feedback by concierge and category; Python only adds up those few groups and divides.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from concierge.models import User

from .models import Category, Feedback, ServiceRequest

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
LATEST = 8


@dataclass(frozen=True)
class Figures:
    responses: int = 0
    points: int = 0  # the sum of the scores
    promoters: int = 0
    detractors: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.responses + other.responses,
            self.points + other.points,
            self.promoters + other.promoters,
            self.detractors + other.detractors,
        )

    @property
    def average(self) -> float | None:
        return self.points / self.responses if self.responses else None

    @property
    def nps(self) -> int | None:
        if not self.responses:
            return None
        share = Decimal(100 * (self.promoters - self.detractors)) / self.responses
        return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def passives(self) -> int:
        return self.responses - self.promoters - self.detractors

    def split(self) -> list[tuple[str, float, float]]:
        """(kind, start, width) of promoters, passives and detractors, in % of the responses."""
        parts, start = [], 0.0
        for kind, count in (
            ("promoters", self.promoters),
            ("passives", self.passives),
            ("detractors", self.detractors),
        ):
            width = 100 * count / self.responses if self.responses else 0.0
            parts.append((kind, start, width))
            start += width
        return parts


@dataclass(frozen=True)
class Line:
    label: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    overall: Figures
    per_concierge: list[Line]
    per_category: list[Line]


def period_days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def feedback_for(user, *, days: int):
    """The feedback on the requests `user` may see, recorded in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    return Feedback.objects.filter(
        service_request__in=ServiceRequest.objects.visible_to(user), recorded_at__gte=since
    )


def report(feedback, *, team: int | None) -> Report:
    groups = (
        feedback.order_by()
        .values_list("service_request__assignee", "service_request__category")
        .annotate(
            responses=Count("id"),
            points=Sum("score"),
            promoters=Count("id", filter=Q(score__gte=9)),
            detractors=Count("id", filter=Q(score__lte=6)),
        )
    )
    overall = Figures()
    by_person: dict[int | None, Figures] = defaultdict(Figures)
    by_category: dict[str, Figures] = defaultdict(Figures)
    for person, category, *counts in groups:
        figures = Figures(*counts)
        overall += figures
        by_person[person] += figures
        by_category[category] += figures
    return Report(
        overall=overall,
        per_concierge=_per_concierge(by_person, team=team),
        per_category=[
            Line(label, by_category[value])
            for value, label in Category.choices
            if value in by_category
        ],
    )


def _per_concierge(by_person: dict, *, team: int | None) -> list[Line]:
    """Every concierge of the team (those without feedback too), then anyone else who had some."""
    people = User.objects.filter(
        Q(pk__in=[pk for pk in by_person if pk is not None])
        | Q(team_id=team, role=User.Role.CONCIERGE, is_active=True)
    ).order_by("first_name", "last_name", "username")
    lines = [Line(person.display_name, by_person.get(person.pk, Figures())) for person in people]
    if None in by_person:
        lines.append(Line(_("Unassigned"), by_person[None]))
    return lines


def latest_words(feedback, limit: int = LATEST):
    return (
        feedback.exclude(words="")
        .select_related("service_request__client", "service_request__assignee")
        .order_by("-recorded_at", "-id")[:limit]
    )

"""Learning anticipated needs from each client's request history.

Two patterns are looked for, per client and per request category:
- yearly: requests around the same day of the year (within ±21 days, across the New Year too) in two
  or more distinct years → a yearly need, if such a bunching is unlikely to be chance (under 2 %) for
  requests of that category at random dates: three Februaries in a row are a ski trip, two dinners
  three weeks apart in two years among forty others are not;
- interval: at least 4 requests whose gaps are regular (coefficient of variation ≤ 0.25, ≤ 0.15 for
  a run of just 4, mean gap 7–120 days), still going on → an "every N days" need.
Each finding becomes a suggestion (state suggested, source learned) with the requests that support it
as evidence, and a `learned_key` (unique per client) so that it is suggested once. A suggestion that
was rejected stays as a row, and any pattern close to an existing need is not suggested again.

Work is bounded: clients are read in batches by primary key, and each batch's requests and needs are
loaded with one query each, whatever the batch holds.
"""

import datetime
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from clients.models import AnticipatedNeed, Client
from requests.models import ServiceRequest, Status

YEARLY = AnticipatedNeed.Recurrence.YEARLY
INTERVAL = AnticipatedNeed.Recurrence.INTERVAL

YEAR_WINDOW = 21  # days either side of the typical day of the year
MIN_YEARS = 2
YEARLY_LEAD_DAYS = 21
# How likely the same bunching would be from requests at random dates: above this, it is noise.
YEARLY_MAX_CHANCE = 0.02
MIN_SPAN_DAYS = 3
MIN_INTERVAL_REQUESTS = 4
MAX_INTERVAL_CV = 0.25
MAX_SHORT_RUN_CV = 0.15  # for a run of exactly MIN_INTERVAL_REQUESTS requests
INTERVAL_GAP_DAYS = (7, 120)
LOOKBACK_DAYS = 6 * 366
BATCH = 500
MAX_PER_CATEGORY = 200
DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class Occurrence:
    request_id: int
    title: str
    day: datetime.date

    def as_evidence(self) -> dict:
        return {"id": self.request_id, "title": self.title, "date": self.day.isoformat()}


@dataclass(frozen=True)
class Pattern:
    kind: str  # YEARLY or INTERVAL: the recurrence the pattern suggests
    category: str
    occurrences: tuple[Occurrence, ...]
    typical: datetime.date | None = None  # yearly: the typical day (its year is meaningless)
    every_days: int | None = None  # interval


# Calendar arithmetic on a 365-day circle (29 February counts as 28 February).
def day_of_year(day: datetime.date) -> int:
    month_day = min(day.day, 28) if day.month == 2 else day.day
    return datetime.date(2001, day.month, month_day).timetuple().tm_yday


def from_day_of_year(number: int) -> datetime.date:
    """A date in the (non-leap) reference year 2001 for a day of the year 1..365."""
    return datetime.date(2001, 1, 1) + datetime.timedelta(days=(number - 1) % DAYS_IN_YEAR)


def circular_offset(a: int, b: int) -> int:
    """a - b on the circle of the year, in -182..182."""
    diff = (a - b) % DAYS_IN_YEAR
    return diff - DAYS_IN_YEAR if diff > DAYS_IN_YEAR // 2 else diff


def _season(occurrence: Occurrence, center: int) -> int:
    """The year of the season an occurrence belongs to: 28 Dec 2025 is in the season of 2 Jan 2026."""
    offset = circular_offset(day_of_year(occurrence.day), center)
    return (occurrence.day - datetime.timedelta(days=offset)).year


def _window(occurrences: Iterable[Occurrence], center: int) -> list[Occurrence]:
    return [
        o for o in occurrences if abs(circular_offset(day_of_year(o.day), center)) <= YEAR_WINDOW
    ]


def _one_per_season(members: list[Occurrence], center: int) -> list[Occurrence]:
    closest: dict[int, Occurrence] = {}
    for o in members:
        season = _season(o, center)
        distance = abs(circular_offset(day_of_year(o.day), center))
        current = closest.get(season)
        if current is None or distance < abs(circular_offset(day_of_year(current.day), center)):
            closest[season] = o
    return list(closest.values())


def _typical_day(representatives: list[Occurrence], center: int) -> int:
    offsets = [circular_offset(day_of_year(o.day), center) for o in representatives]
    return (center + round(statistics.fmean(offsets)) - 1) % DAYS_IN_YEAR + 1


def _binomial_tail(n: int, p: float, at_least: int) -> float:
    return 1 - sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(at_least))


def chance_of(representatives: list[Occurrence], typical: int, total: int) -> float:
    """How likely `total` requests spread at random over the year would bunch up like these.

    A scan statistic, roughly: the chance that as many requests fall within as narrow a span of the
    year, times the number of such spans in a year. A tight season in a sparse category is unlikely
    by chance; two trips a month apart among forty a year are not.
    """
    offsets = [circular_offset(day_of_year(o.day), typical) for o in representatives]
    span = max(MIN_SPAN_DAYS, max(offsets) - min(offsets) + 1)
    p = span / DAYS_IN_YEAR
    return min(1.0, DAYS_IN_YEAR / span * _binomial_tail(total, p, len(representatives)))


def _season_around(remaining: list[Occurrence], center: int):
    representatives = _one_per_season(_window(remaining, center), center)
    typical = _typical_day(representatives, center)
    members = _window(remaining, typical)
    return typical, members, _one_per_season(members, typical)


def yearly_patterns(category: str, occurrences: list[Occurrence]) -> list[Pattern]:
    """Seasons of the year in which this category comes back, year after year, beyond chance."""
    total = len({o.day for o in occurrences})
    remaining = sorted(occurrences, key=lambda o: o.day)
    found = []
    while len(remaining) >= MIN_YEARS:
        best = None
        for candidate in remaining:
            typical, members, representatives = _season_around(
                remaining, day_of_year(candidate.day)
            )
            if len(representatives) < MIN_YEARS:
                continue
            chance = chance_of(representatives, typical, total)
            if best is None or chance < best[0]:
                best = (chance, typical, members)
        if best is None or best[0] > YEARLY_MAX_CHANCE:
            break
        _chance, typical, members = best
        remaining = [o for o in remaining if o not in members]
        found.append(
            Pattern(
                kind=YEARLY,
                category=category,
                occurrences=tuple(sorted(members, key=lambda o: o.day)),
                typical=from_day_of_year(typical),
            )
        )
    return found


def _regular(days: list[datetime.date]) -> float | None:
    """The mean gap between these days if it is steady and in range, else None."""
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    mean = statistics.fmean(gaps)
    if not INTERVAL_GAP_DAYS[0] <= mean <= INTERVAL_GAP_DAYS[1]:
        return None
    # Three gaps alike happen by chance more often than four or more: a short run must be steadier.
    steadiness = MAX_INTERVAL_CV if len(gaps) >= MIN_INTERVAL_REQUESTS else MAX_SHORT_RUN_CV
    if statistics.pstdev(gaps) / mean > steadiness:
        return None
    return mean


def interval_pattern(
    category: str, occurrences: list[Occurrence], today: datetime.date
) -> Pattern | None:
    """The longest recent run of requests at a steady pace, if it is still going on."""
    by_day: dict[datetime.date, Occurrence] = {}
    for o in sorted(occurrences, key=lambda o: (o.day, o.request_id)):
        by_day.setdefault(o.day, o)
    days = sorted(by_day)
    best = None
    for start in range(len(days) - MIN_INTERVAL_REQUESTS, -1, -1):
        mean = _regular(days[start:])
        if mean is not None:
            best = (start, mean)
    if best is None:
        return None
    start, mean = best
    if (today - days[-1]).days > 2 * mean + 7:
        return None  # the habit stopped
    return Pattern(
        kind=INTERVAL,
        category=category,
        occurrences=tuple(by_day[d] for d in days[start:]),
        every_days=round(mean),
    )


def find_patterns(occurrences: list[tuple[str, Occurrence]], today: datetime.date) -> list[Pattern]:
    by_category: dict[str, list[Occurrence]] = defaultdict(list)
    for category, occurrence in occurrences:
        by_category[category].append(occurrence)
    patterns = []
    for category in sorted(by_category):
        # The most recent ones: the search is quadratic in their number.
        items = sorted(by_category[category], key=lambda o: o.day)[-MAX_PER_CATEGORY:]
        patterns += yearly_patterns(category, items)
        interval = interval_pattern(category, items, today)
        if interval:
            patterns.append(interval)
    return patterns


# From patterns to suggestions
def _typical_of(need: AnticipatedNeed) -> int:
    typical = (need.evidence or {}).get("typical")
    if typical:
        month, day = (int(part) for part in typical.split("-"))
        return day_of_year(datetime.date(2001, month, min(day, 28) if month == 2 else day))
    return day_of_year(need.next_on)


def _same_season(need: AnticipatedNeed, pattern: Pattern) -> bool:
    if need.recurrence != AnticipatedNeed.Recurrence.YEARLY:
        return False
    distance = circular_offset(_typical_of(need), day_of_year(pattern.typical))
    return abs(distance) <= YEAR_WINDOW


def _same_pace(need: AnticipatedNeed) -> bool:
    recurring = need.recurrence in (
        AnticipatedNeed.Recurrence.INTERVAL,
        AnticipatedNeed.Recurrence.MONTHLY,
    )
    live = need.state in (AnticipatedNeed.State.ACTIVE, AnticipatedNeed.State.SUGGESTED)
    return recurring and (live or need.source == AnticipatedNeed.Source.LEARNED)


def already_known(pattern: Pattern, needs: list[AnticipatedNeed]) -> bool:
    """A pattern close to a need the client already has (in any state, rejected included)."""
    key = learned_key(pattern)
    for need in needs:
        if need.learned_key == key:
            return True
        if need.category != pattern.category:
            continue
        if pattern.kind == YEARLY and _same_season(need, pattern):
            return True
        if pattern.kind == INTERVAL and _same_pace(need):
            return True
    return False


def learned_key(pattern: Pattern) -> str:
    if pattern.kind == YEARLY:
        return f"yearly:{pattern.category}:{pattern.typical:%m-%d}"
    return f"interval:{pattern.category}"


def _next_yearly(pattern: Pattern, today: datetime.date) -> datetime.date:
    """The typical day's next occurrence, skipping a season the client has already asked for."""
    typical = pattern.typical
    for year in range(today.year, today.year + 3):
        day = datetime.date(year, typical.month, typical.day)
        if day < today:
            continue
        if any(abs((day - o.day).days) <= YEAR_WINDOW for o in pattern.occurrences):
            continue
        return day
    raise AssertionError("unreachable")


def suggestion(client_id: int, pattern: Pattern, today: datetime.date) -> AnticipatedNeed:
    latest = max(pattern.occurrences, key=lambda o: (o.day, o.request_id))
    evidence = {
        "pattern": pattern.kind,
        "count": len(pattern.occurrences),
        "requests": [o.as_evidence() for o in pattern.occurrences],
    }
    if pattern.kind == YEARLY:
        evidence["typical"] = f"{pattern.typical:%m-%d}"
        recurrence, interval, lead = AnticipatedNeed.Recurrence.YEARLY, None, YEARLY_LEAD_DAYS
        next_on = _next_yearly(pattern, today)
    else:
        evidence["every_days"] = pattern.every_days
        recurrence, interval = AnticipatedNeed.Recurrence.INTERVAL, pattern.every_days
        lead = max(1, min(7, pattern.every_days // 3))
        next_on = latest.day + datetime.timedelta(days=interval)
        while next_on < today:
            next_on += datetime.timedelta(days=interval)
    need = AnticipatedNeed(
        client_id=client_id,
        title=latest.title[:200],
        category=pattern.category,
        recurrence=recurrence,
        interval_days=interval,
        next_on=next_on,
        lead_days=lead,
        source=AnticipatedNeed.Source.LEARNED,
        state=AnticipatedNeed.State.SUGGESTED,
        evidence=evidence,
        learned_key=learned_key(pattern),
    )
    need.remind_on = next_on - datetime.timedelta(days=lead)  # bulk_create does not call save()
    return need


def _request_day(row: dict) -> datetime.date:
    return timezone.localtime(row["event_at"] or row["created_at"]).date()


def learn_batch(client_ids: list[int], today: datetime.date) -> int:
    since = datetime.datetime.combine(
        today - datetime.timedelta(days=LOOKBACK_DAYS),
        datetime.time(),
        timezone.get_current_timezone(),
    )
    rows = (
        ServiceRequest.objects.filter(client_id__in=client_ids)
        .exclude(status=Status.CANCELLED)
        .filter(Q(event_at__gte=since) | Q(event_at__isnull=True, created_at__gte=since))
        .values("id", "client_id", "category", "title", "event_at", "created_at")
    )
    history: dict[int, list[tuple[str, Occurrence]]] = defaultdict(list)
    for row in rows:
        history[row["client_id"]].append(
            (row["category"], Occurrence(row["id"], row["title"], _request_day(row)))
        )
    needs: dict[int, list[AnticipatedNeed]] = defaultdict(list)
    for need in AnticipatedNeed.objects.filter(client_id__in=list(history)):
        needs[need.client_id].append(need)

    fresh = []
    for client_id, occurrences in history.items():
        for pattern in find_patterns(occurrences, today):
            if not already_known(pattern, needs[client_id]):
                new = suggestion(client_id, pattern, today)
                needs[client_id].append(new)
                fresh.append(new)
    # ignore_conflicts: a parallel run may have suggested the same key in the meantime.
    AnticipatedNeed.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def learn_anticipated_needs(today: datetime.date | None = None, batch: int = BATCH) -> int:
    """Suggest what each assigned client's history shows; returns how many suggestions were made."""
    today = today or timezone.localdate()
    clients = (
        Client.objects.exclude(status=Client.Status.FORMER)
        .filter(Q(primary_concierge__isnull=False) | Q(backup_concierge__isnull=False))
        .order_by("pk")
    )
    created, last = 0, 0
    while True:
        ids = list(clients.filter(pk__gt=last).values_list("pk", flat=True)[:batch])
        if not ids:
            return created
        created += learn_batch(ids, today)
        last = ids[-1]

"""One random demo client and its record, as plain rows (dicts keyed by column) ready for insertion."""

import datetime
import itertools
from dataclasses import dataclass, field

from ..models import Client, ContactPoint, ImportantDate, Interaction, Preference, Relation
from ..search import glued
from .catalogue import (
    ADDRESSES,
    ADDRESSES_EN,
    ADDRESSES_FR,
    BEST_TIMES,
    CHANNELS,
    CHILD_NOTES,
    CITIES,
    CUSTOM_DATES,
    EMAIL_DOMAINS,
    NICKNAMES,
    ORIGIN_WEIGHTS,
    ORIGINS,
    PREFERENCES,
    PRONUNCIATIONS,
    STAFF_NOTES,
    SUMMARIES,
    TAGS,
    Origin,
)

Cat, Kind, Sev, Src = Preference.Category, Preference.Kind, Preference.Severity, Preference.Source
Point, Rel, Day = ContactPoint.Kind, Relation.Kind, ImportantDate.Kind
PARTNERS = (Rel.SPOUSE, Rel.PARTNER)
ORIGIN_CUM = list(itertools.accumulate(ORIGIN_WEIGHTS))
CATEGORIES = list(PREFERENCES)
# Enum `.values` builds a new list on every access: read them once.
TIERS, STATUSES = Client.Tier.values, Client.Status.values
DIRECTIONS, SOURCES = Interaction.Direction.values, Src.values
NOTES = (
    "",
    "",
    "",
    "Introduced by the Rothschild family office.",
    "Met at Art Basel.",
    "Prefers to be contacted through the assistant first.",
    "Rencontré au dîner de la fondation Cartier.",
)


@dataclass
class Bundle:
    """One client and everything that hangs off it, before insertion."""

    client: dict
    points: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    preferences: list = field(default_factory=list)
    interactions: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    def point(self, kind, value, normalized="", **extra) -> None:
        self.points.append({"kind": kind, "value": value, "normalized": normalized, **extra})

    def relation(self, kind, name, **extra) -> dict:
        row = {"kind": kind, "name": name, **extra}
        self.relations.append(row)
        return row

    def date(self, kind, date, label="", relation=None, yearly=True) -> None:
        self.dates.append(
            {
                "kind": kind,
                "date": date,
                "label": label,
                "relation": relation,
                "yearly": yearly,
            }
        )

    def preference(self, category, kind, detail, *, severity, source, confirmed, captured, by, relation=None) -> None:  # fmt: skip
        self.preferences.append(
            {
                "category": category,
                "kind": kind,
                "detail": detail,
                "severity": severity,
                "source": source,
                "relation": relation,
                "captured_by_id": by.pk,
                "captured_at": captured,
                "last_confirmed_at": confirmed,
            }
        )

    def interaction(self, channel, direction, summary, occurred_at, by) -> None:
        self.interactions.append(
            {
                "channel": channel,
                "direction": direction,
                "summary": summary,
                "occurred_at": occurred_at,
                "by_id": by.pk,
            }
        )


# Phones: number i of a seed gets its own digits (an affine bijection), so numbers do not repeat.
ELOISE_MOBILE = "612345678"


def _digits(i: int, seed: int, width: int, stream: int) -> str:
    value = ((i + 1 + seed * 7919 + stream * 104_729) * 7_368_787) % 10**width
    return f"{value:0{width}d}"


def phone(origin: Origin, i: int, seed: int, rng, stream: int = 0) -> tuple[str, str]:
    """(as displayed, E.164) for a mobile of the origin's country."""
    code, lead, width, groups = origin.phone
    national = lead + _digits(i, seed, width, stream)
    if code == "33" and national == ELOISE_MOBILE:
        national = "687654321"  # Éloïse's number is hers alone
    e164 = f"+{code}{national}"
    if code == "33" and rng.random() < 0.3:
        typed = "0" + national  # typed the French way: 06 12 34 56 78
        return " ".join(typed[k : k + 2] for k in range(0, 10, 2)), e164
    parts, k = [], 0
    for size in groups:
        parts.append(national[k : k + size])
        k += size
    return f"+{code} {' '.join(parts)}", e164


def email(first: str, last: str, domain: str) -> str:
    return f"{glued(first)}.{glued(last)}@{domain}"


def in_days(today: datetime.date, days: int, year: int) -> datetime.date:
    """A date of `year` whose anniversary falls `days` from today (29 February: a leap year)."""
    day = today + datetime.timedelta(days=days)
    if (day.month, day.day) == (2, 29):
        year -= year % 4
    return day.replace(year=year)


def moment(rng, now: datetime.datetime, max_days: int) -> datetime.datetime:
    when = now - datetime.timedelta(days=rng.randint(0, max_days))
    return when.replace(
        hour=rng.randint(6, 18), minute=rng.choice((0, 10, 15, 30, 45, 50)), second=0, microsecond=0
    )


def _birthday(rng, today, years: tuple[int, int], soon: bool) -> datetime.date:
    """A date; when `soon`, one whose next anniversary is within the next 30 days."""
    year = rng.randint(*years)
    if soon:
        return in_days(today, rng.randint(1, 29), year)
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def random_client(i, rng, concierges, seed, now, today) -> Bundle:
    origin = rng.choices(ORIGINS, cum_weights=ORIGIN_CUM)[0]
    woman = rng.random() < 0.5
    first = rng.choice(origin.women if woman else origin.men)
    last = rng.choice(origin.surnames)
    primary, backup = rng.sample(concierges, 2) if len(concierges) > 1 else (concierges[0], None)
    languages = rng.choice(origin.languages)
    forms = ADDRESSES_FR if "French" in languages else ADDRESSES_EN
    hints = [PRONUNCIATIONS[n] for n in (first, last) if n in PRONUNCIATIONS]
    client = {
        "first_name": first,
        "last_name": last,
        "preferred_name": NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
        "form_of_address": rng.choice(forms[0 if woman else 1]) if rng.random() < 0.6 else "",
        "pronunciation": " ".join(hints) if hints and rng.random() < 0.8 else "",
        "languages": languages,
        "tier": rng.choices(TIERS, cum_weights=(35, 80, 100))[0],
        "status": rng.choices(STATUSES, cum_weights=(8, 78, 93, 100))[0],
        "primary_concierge_id": primary.pk,
        "backup_concierge_id": backup.pk if backup else None,
        "team_id": primary.team_id,
        "notes": rng.choice(NOTES),
    }
    bundle = Bundle(client, tags=rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3))))
    shown, e164 = phone(origin, i, seed, rng)
    best = rng.choice(BEST_TIMES) if rng.random() < 0.5 else ""
    bundle.point(Point.PHONE, shown, e164, label="mobile", preferred=True, best_times=best)
    if rng.random() < 0.35:
        bundle.point(Point.MESSAGING, shown, e164, label="WhatsApp")
    if rng.random() < 0.9:
        address = email(first, last, rng.choice(EMAIL_DOMAINS))
        bundle.point(Point.EMAIL, address, address.lower(), label="personal", preferred=True)
    if rng.random() < 0.35:
        shown, e164 = phone(ORIGINS[0], i, seed, rng, stream=1)
        bundle.point(Point.PHONE, shown, e164, label=rng.choice(CITIES))
    if rng.random() < 0.4:
        bundle.point(Point.ADDRESS, rng.choice(ADDRESSES), label="home")
    _household(bundle, origin, woman, rng, i, seed)
    _dates(bundle, rng, today)
    _preferences(bundle, rng, now, primary)
    for _ in range(rng.randint(2, 7)):
        channel = rng.choice(CHANNELS)
        by = backup if backup and rng.random() < 0.2 else primary
        summary = rng.choice(SUMMARIES[channel])
        direction = rng.choice(DIRECTIONS)
        bundle.interaction(channel, direction, summary, moment(rng, now, 240), by)
    return bundle


def _household(bundle: Bundle, origin: Origin, woman: bool, rng, i: int, seed: int) -> None:
    surname = bundle.client["last_name"]
    if rng.random() < 0.65:
        kind = Rel.SPOUSE if rng.random() < 0.8 else Rel.PARTNER
        bundle.relation(kind, f"{rng.choice(origin.men if woman else origin.women)} {surname}")
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 3)):
            born = datetime.date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.01:
                born = datetime.date(rng.choice((2000, 2004, 2008, 2012, 2016)), 2, 29)
            name = f"{rng.choice(origin.women + origin.men)} {surname}"
            bundle.relation(Rel.CHILD, name, birthday=born, notes=rng.choice(CHILD_NOTES))
    staff = ORIGINS[0]
    for kind, share in ((Rel.ASSISTANT, 0.35), (Rel.CHAUFFEUR, 0.15), (Rel.HOUSEKEEPER, 0.1), (Rel.NANNY, 0.08)):  # fmt: skip
        if rng.random() < share:
            name = f"{rng.choice(staff.women + staff.men)} {rng.choice(staff.surnames)}"
            number = phone(staff, i, seed, rng, stream=2 + len(bundle.relations))[0]
            bundle.relation(kind, name, phone=number, notes=rng.choice(STAFF_NOTES[kind]))


def _dates(bundle: Bundle, rng, today: datetime.date) -> None:
    if rng.random() < 0.85:
        born = _birthday(rng, today, (1940, 1995), soon=rng.random() < 0.12)
        if rng.random() < 0.003:
            born = datetime.date(rng.choice((1952, 1964, 1976, 1988)), 2, 29)
        bundle.date(Day.BIRTHDAY, born)
    for relation in bundle.relations:
        if relation["kind"] in PARTNERS:
            if rng.random() < 0.7:
                wed = _birthday(rng, today, (1975, 2020), soon=rng.random() < 0.08)
                bundle.date(Day.ANNIVERSARY, wed, label="Wedding anniversary")
            if rng.random() < 0.6:
                born = _birthday(rng, today, (1940, 1995), soon=rng.random() < 0.08)
                bundle.date(Day.BIRTHDAY, born, relation=relation)
        elif relation.get("birthday"):
            bundle.date(Day.BIRTHDAY, relation["birthday"], relation=relation)
    if rng.random() < 0.25:
        label, month, day, yearly = rng.choice(CUSTOM_DATES)
        year = today.year + (0 if yearly else 1)
        bundle.date(Day.CUSTOM, datetime.date(year, month, day), label=label, yearly=yearly)


def _preferences(bundle: Bundle, rng, now, by) -> None:
    def add(category, kind, detail, severity=Sev.NOTE, relation=None):
        # About a third were last confirmed more than a year ago: stale, to be checked again.
        confirmed = now - datetime.timedelta(days=rng.choice((3, 20, 60, 150, 300, 420, 700)))
        bundle.preference(
            category,
            kind,
            detail,
            severity=severity,
            source=rng.choices(SOURCES, cum_weights=(60, 90, 100))[0],
            confirmed=confirmed,
            captured=confirmed - datetime.timedelta(days=rng.randint(0, 400)),
            by=by,
            relation=relation,
        )

    for category in rng.sample(CATEGORIES, rng.randint(2, 4)):
        likes, dislikes, allergies, nevers = PREFERENCES[category]
        for detail in rng.sample(likes, rng.randint(1, 2)):
            add(category, Kind.LIKE, detail)
        if rng.random() < 0.3:
            add(category, Kind.DISLIKE, rng.choice(dislikes))
        if allergies and rng.random() < 0.12:
            add(category, Kind.ALLERGY, *rng.choice(allergies))
        if nevers and rng.random() < 0.12:
            add(category, Kind.NEVER, rng.choice(nevers), Sev.IMPORTANT)
    partner = next((r for r in bundle.relations if r["kind"] in PARTNERS), None)
    if partner and rng.random() < 0.2:
        add(Cat.DINING, Kind.ALLERGY, "Tree nuts", Sev.CRITICAL, partner)

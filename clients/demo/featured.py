"""The demo's first clients, always the same and always the first concierge's (camille): the README,
the tests and the people trying the demo can rely on them."""

import datetime
from dataclasses import dataclass, field

from ..models import Client, ImportantDate, Interaction, Preference, Relation
from .catalogue import CHANNELS, SUMMARIES
from .people import Bundle, Point, in_days, moment

Cat, Kind, Sev, Src = Preference.Category, Preference.Kind, Preference.Severity, Preference.Source
Rel, Day, Tier = Relation.Kind, ImportantDate.Kind, Client.Tier
SOON = object()  # a date whose anniversary is `days` from today, in the year given


@dataclass
class Featured:
    first_name: str
    last_name: str
    form_of_address: str
    pronunciation: str
    languages: str
    tier: str
    tags: tuple
    mobile: tuple[str, str] | None  # (as displayed, E.164)
    email: str
    notes: str
    household: list = field(default_factory=list)  # (kind, name, birthday, extra fields)
    dates: list = field(default_factory=list)  # (kind, label, date or (SOON, days, year), whose)
    preferences: list = field(
        default_factory=list
    )  # (category, kind, detail, severity, days, whose)
    status: str = Client.Status.ACTIVE
    with_backup: bool = True
    interactions: int = 10

    def __call__(self, i, rng, concierges, seed, now, today) -> Bundle:
        primary = concierges[0]
        backup = concierges[1] if self.with_backup and len(concierges) > 1 else None
        client = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "form_of_address": self.form_of_address,
            "pronunciation": self.pronunciation,
            "languages": self.languages,
            "tier": self.tier,
            "status": self.status,
            "notes": self.notes,
            "primary_concierge_id": primary.pk,
            "backup_concierge_id": backup.pk if backup else None,
            "team_id": primary.team_id,
        }
        bundle = Bundle(client, tags=list(self.tags))
        if self.mobile:
            shown, e164 = self.mobile
            best = "Weekdays after 18:00"
            bundle.point(Point.PHONE, shown, e164, label="mobile", preferred=True, best_times=best)
            bundle.point(Point.MESSAGING, shown, e164, label="WhatsApp")
        bundle.point(Point.EMAIL, self.email, self.email.lower(), label="personal", preferred=True)
        household = {}
        for kind, name, born, extra in self.household:
            household[name] = bundle.relation(kind, name, birthday=born, **extra)
        for kind, label, date, whose in self.dates:
            if isinstance(date, tuple):
                date = in_days(today, date[1], date[2])
            bundle.date(kind, date, label=label, relation=household.get(whose))
        for category, kind, detail, severity, days, whose in self.preferences:
            confirmed = now - datetime.timedelta(days=days)
            source = Src.SAID if days < 365 else Src.OBSERVED
            bundle.preference(
                category,
                kind,
                detail,
                severity=severity,
                source=source,
                confirmed=confirmed,
                captured=confirmed,
                by=primary,
                relation=household.get(whose),
            )
        for k, channel in enumerate((CHANNELS * 2)[: self.interactions]):
            summary = SUMMARIES[channel][k % len(SUMMARIES[channel])]
            direction = Interaction.Direction.values[k % 2]
            bundle.interaction(channel, direction, summary, moment(rng, now, 5 + 20 * k), primary)
        return bundle


FEATURED = [
    Featured(
        "Éloïse",
        "d'Harcourt",
        "Madame la Présidente",
        "ay-lo-EEZ dar-KOOR",
        "French, English, Italian",
        Tier.PRIVATE,
        ("VIP", "Art collector", "Family office"),
        ("+33 6 12 34 56 78", "+33612345678"),
        "eloise@harcourt-family.fr",
        "Chairs the Harcourt foundation. Never discuss business at dinner.",
        household=[
            (Rel.SPOUSE, "Henri d'Harcourt", datetime.date(1968, 11, 3), {}),
            (
                Rel.CHILD,
                "Apolline d'Harcourt",
                datetime.date(2009, 4, 17),
                {"notes": "Allergic to peanuts"},
            ),
            (
                Rel.ASSISTANT,
                "Margaux Petit",
                None,
                {
                    "phone": "+33 6 98 76 54 32",
                    "notes": "Handles all travel bookings; copy her on emails",
                },
            ),
            (Rel.CHAUFFEUR, "Marcel Ribeiro", None, {"phone": "+33 7 11 22 33 44"}),
        ],  # fmt: skip
        dates=[
            (Day.BIRTHDAY, "", (SOON, 6, 1971), None),
            (Day.ANNIVERSARY, "Wedding anniversary", (SOON, 19, 1996), None),
            (Day.BIRTHDAY, "", datetime.date(1968, 11, 3), "Henri d'Harcourt"),
            (Day.BIRTHDAY, "", datetime.date(2009, 4, 17), "Apolline d'Harcourt"),
            (Day.CUSTOM, "Yearly ski trip to Courchevel", datetime.date(2020, 2, 1), None),
        ],
        preferences=[
            (
                Cat.DINING,
                Kind.ALLERGY,
                "Shellfish — anaphylaxis, carries an EpiPen",
                Sev.CRITICAL,
                30,
                None,
            ),
            (Cat.DINING, Kind.LIKE, "Ruinart Blanc de Blancs", Sev.NOTE, 12, None),
            (Cat.DINING, Kind.LIKE, "Table by the window", Sev.NOTE, 500, None),
            (Cat.DINING, Kind.DISLIKE, "Coriander", Sev.NOTE, 90, None),
            (Cat.HOTELS, Kind.LIKE, "Le Bristol, Paris — suite 512", Sev.NOTE, 45, None),
            (Cat.HOTELS, Kind.NEVER, "Never book Hotel X", Sev.IMPORTANT, 200, None),
            (Cat.TRAVEL, Kind.LIKE, "Private terminal at Le Bourget", Sev.NOTE, 60, None),
            (Cat.WELLNESS, Kind.LIKE, "Morning Pilates, 7:00", Sev.NOTE, 430, None),
            (Cat.GIFTS, Kind.LIKE, "White peonies", Sev.NOTE, 20, None),
            (Cat.GIFTS, Kind.NEVER, "Never send lilies", Sev.IMPORTANT, 700, None),
            (Cat.FASHION, Kind.LIKE, "Hermès, size 38", Sev.NOTE, 380, None),
            (Cat.ARTS, Kind.LIKE, "Opéra Garnier, loge de face", Sev.NOTE, 100, None),
            (Cat.OTHER, Kind.LIKE, "WhatsApp rather than calls", Sev.NOTE, 10, None),
            (Cat.DINING, Kind.ALLERGY, "Peanuts — severe", Sev.CRITICAL, 30, "Apolline d'Harcourt"),
        ],  # fmt: skip
    ),
    Featured(
        "Charles-Henri",
        "de La Rochefoucauld",
        "Monsieur le Comte",
        "sharl-on-REE duh la rosh-foo-KOH",
        "French, English, German",
        Tier.PRIVATE,
        ("VIP", "Yacht", "Wine collector"),
        ("+33 6 45 67 89 01", "+33645678901"),
        "ch@larochefoucauld.fr",
        "Keeps the yacht in Antibes from May to September.",
        household=[
            (Rel.SPOUSE, "Diane de La Rochefoucauld", datetime.date(1970, 6, 9), {}),
            (
                Rel.CHILD,
                "Louis de La Rochefoucauld",
                datetime.date(2008, 2, 29),
                {"notes": "Born on 29 February"},
            ),
            (Rel.ASSISTANT, "Bertrand Lacoste", None, {"phone": "+33 1 53 00 00 12"}),
        ],  # fmt: skip
        dates=[
            (Day.BIRTHDAY, "", datetime.date(1964, 9, 21), None),
            (Day.ANNIVERSARY, "Wedding anniversary", (SOON, 11, 1993), None),
            (Day.BIRTHDAY, "", datetime.date(2008, 2, 29), "Louis de La Rochefoucauld"),
            (Day.BIRTHDAY, "", (SOON, 24, 1970), "Diane de La Rochefoucauld"),
        ],
        preferences=[
            (Cat.DINING, Kind.LIKE, "Burgundy reds, Côte de Nuits", Sev.NOTE, 15, None),
            (Cat.DINING, Kind.NEVER, "Never serve foie gras", Sev.IMPORTANT, 120, None),
            (Cat.TRAVEL, Kind.LIKE, "NetJets, Challenger 350", Sev.NOTE, 40, None),
            (Cat.TRAVEL, Kind.DISLIKE, "Helicopter transfers", Sev.NOTE, 450, None),
            (
                Cat.HOTELS,
                Kind.ALLERGY,
                "Feathers — synthetic pillows only",
                Sev.IMPORTANT,
                60,
                None,
            ),
            (Cat.FASHION, Kind.LIKE, "Charvet shirts, collar 40", Sev.NOTE, 800, None),
            (Cat.ARTS, Kind.LIKE, "Salzburg Festival every August", Sev.NOTE, 200, None),
            (Cat.GIFTS, Kind.LIKE, "White peonies", Sev.NOTE, 30, "Diane de La Rochefoucauld"),
            (
                Cat.DINING,
                Kind.ALLERGY,
                "Gluten — coeliac",
                Sev.IMPORTANT,
                30,
                "Diane de La Rochefoucauld",
            ),
        ],  # fmt: skip
    ),
    Featured(
        "Amara",
        "Okonkwo",
        "Dr.",
        "a-MAH-ra oh-KONG-kwoh",
        "English, Igbo, French",
        Tier.PREMIUM,
        ("Philanthropy", "Art collector"),
        ("+44 7700 900123", "+447700900123"),
        "amara@okonkwo.ng",
        "Splits her time between Lagos, London and Paris.",
        household=[(Rel.PARTNER, "Tunde Balogun", None, {})],
        dates=[(Day.BIRTHDAY, "", datetime.date(1982, 12, 2), None)],
        preferences=[
            (Cat.ARTS, Kind.LIKE, "Contemporary African art", Sev.NOTE, 10, None),
            (Cat.DINING, Kind.ALLERGY, "Sesame", Sev.CRITICAL, 50, None),
            (Cat.OTHER, Kind.NEVER, "Never call on Sundays", Sev.IMPORTANT, 300, None),
        ],
    ),
    Featured(
        "Hiroshi",
        "Tanaka",
        "Mr.",
        "hee-ROH-shee TAH-na-ka",
        "Japanese, English",
        Tier.PREMIUM,
        ("Horology", "Michelin"),
        ("+81 90 1234 5678", "+819012345678"),
        "h.tanaka@tanaka-holdings.jp",
        "Visits Paris for the watch auctions in May and November.",
        household=[(Rel.SPOUSE, "Yuki Tanaka", datetime.date(1975, 3, 3), {})],
        dates=[(Day.BIRTHDAY, "", (SOON, 3, 1972), None)],
        preferences=[
            (Cat.DINING, Kind.LIKE, "Omakase counters", Sev.NOTE, 25, None),
            (Cat.HOTELS, Kind.LIKE, "Room away from the lift", Sev.NOTE, 400, None),
            (Cat.DINING, Kind.ALLERGY, "Lactose intolerance", Sev.IMPORTANT, 25, None),
        ],
    ),
    # Amara Okonkwo again, as an import left her (same email): a duplicate to merge in the demo.
    Featured(
        "Amara",
        "Okonkwo-Adeyemi",
        "",
        "",
        "English",
        Tier.ESSENTIAL,
        ("Referral",),
        None,
        "Amara@Okonkwo.ng",
        "Imported from the 2023 gala guest list.",
        preferences=[(Cat.GIFTS, Kind.LIKE, "White peonies", Sev.NOTE, 600, None)],
        status=Client.Status.PROSPECT,
        with_backup=False,
        interactions=1,
    ),
]

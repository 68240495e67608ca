"""Demo requests for `seed_demo`: every state, with the history that led there, vendors, holds,
checklists and feedback, so that the board, the timeline and the satisfaction figures mean something.
Bulk-written: one statement per table for each chunk of requests."""

import datetime
import random

from django.db.models import Max
from django.utils import timezone

from clients.demo.voice import seed_voice_note
from clients.models import Client, Interaction

from . import sla
from .models import ChecklistItem, Feedback, RequestEvent, ServiceRequest, Status, Vendor, VendorUse

PATHS = {
    Status.NEW: [],
    Status.ACKNOWLEDGED: [Status.ACKNOWLEDGED],
    Status.IN_PROGRESS: [Status.ACKNOWLEDGED, Status.IN_PROGRESS],
    Status.WAITING_ON_CLIENT: [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING_ON_CLIENT],
    Status.WAITING_ON_VENDOR: [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING_ON_VENDOR],
    Status.FULFILLED: [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FULFILLED],
    Status.CLOSED: [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FULFILLED, Status.CLOSED],
    Status.CANCELLED: [Status.ACKNOWLEDGED, Status.CANCELLED],
}
# Mostly finished history, a live pipeline for the board.
STATUS_WEIGHTS = [
    (Status.NEW, 4), (Status.ACKNOWLEDGED, 4), (Status.IN_PROGRESS, 7), (Status.WAITING_ON_CLIENT, 3),
    (Status.WAITING_ON_VENDOR, 3), (Status.FULFILLED, 4), (Status.CLOSED, 30), (Status.CANCELLED, 3),
]  # fmt: skip

CATALOGUE = {
    "dining": [("Table for {n} at {v}", {"party_size": None, "venue": None}, "restaurant",
                ["Le Cinq", "Septime", "Le Meurice Alain Ducasse", "Plénitude", "Le Grand Véfour", "Kei"])],
    "travel": [("Ski week in {v}", {"travellers": None, "destination": None, "documents": "Passports"}, "airline",
                ["Courchevel", "Gstaad", "Zermatt", "Verbier"]),
               ("Flights to {v}", {"travellers": None, "destination": None}, "airline", ["New York", "Tokyo", "Marrakech"])],
    "events": [("{n} seats for {v}", {"seats": None, "event_name": None}, "ticketing",
                ["the Opéra Garnier gala", "Roland-Garros final", "Art Basel preview", "the Monaco Grand Prix"])],
    "gifts": [("Anniversary flowers", {"recipient": "Spouse", "occasion": "Anniversary"}, "florist", ["Debeaulieu"]),
              ("Birthday gift", {"recipient": "Daughter", "occasion": "Birthday"}, "shop", ["Hermès", "Cartier"])],
    "hotels": [("Suite at {v}", {"guests": None, "city": "Paris"}, "hotel", ["the Ritz", "Le Bristol", "Cheval Blanc"])],
    "transport": [("Car to {v}", {"passengers": None, "pickup": "Home", "dropoff": None}, "chauffeur",
                   ["Orly", "Charles de Gaulle", "Gare de Lyon"])],
    "wellness": [("Spa day at {v}", {"treatment": "Massage", "venue": None}, "other", ["Dior Spa", "Sisley"])],
}  # fmt: skip
# Where the place in the title is not itself the vendor (a destination, an airport, an event).
AGENCIES = {
    "travel": [("NetJets Europe", "airline"), ("Air France La Première", "airline")],
    "events": [
        ("Opéra de Paris, service mécénat", "ticketing"),
        ("Prestige Billetterie", "ticketing"),
    ],
    "transport": [("Chauffeurs de Paris", "chauffeur"), ("Blacklane", "chauffeur")],
}
WORDS = {
    10: [
        "Parfait, comme toujours.",
        "Flawless — the children loved it.",
        "Exactly what I had in mind.",
    ],
    9: ["Wonderful evening, thank you.", "Très bien, merci beaucoup."],
    8: ["Very good, the car was a little late.", "Lovely, though the table was near the door."],
    7: ["Good, but not exceptional.", "Fine; next time a quieter room."],
    5: ["The hotel did not have our usual suite.", "Too long to get a confirmation."],
    3: [
        "The restaurant had no record of the booking.",
        "Disappointing, the flowers arrived wilted.",
    ],
}
COMMENTS = ["Called the maître d' for the corner table.", "Client prefers the 20:30 slot.",
            "Vendor confirmed by email.", "Waiting for passport numbers.", "Sent two options to the client."]  # fmt: skip


def seed_requests(*, count: int, concierges: list, seed: int) -> int:
    """Top up demo requests to `count`; returns how many were created."""
    existing = ServiceRequest.objects.filter(client__primary_concierge__in=concierges).count()
    missing = count - existing
    if missing <= 0:
        return 0
    rng = random.Random(seed * 7919 + existing)
    now = timezone.now()
    vendors = _vendors()
    client_ids = list(
        Client.objects.filter(primary_concierge__in=concierges)
        .order_by("pk")
        .values_list("pk", "tier", "primary_concierge_id")[: max(500, count)]
    )
    featured, others = client_ids[:4], client_ids[4:] or client_ids
    created = 0
    if existing == 0:
        created += _featured(featured, vendors, now)
    # The first run shows every state at least once.
    forced = list(PATHS) if existing == 0 else []
    for start in range(0, missing - created, 1000):
        size = min(1000, missing - created - start)
        _bulk(
            rng,
            [rng.choice(others) for _ in range(size)],
            vendors,
            now,
            forced=forced if start == 0 else [],
        )
    return missing


def _vendors() -> dict[str, list[Vendor]]:
    names = {
        (name, kind)
        for category, entries in CATALOGUE.items()
        if category not in AGENCIES
        for _t, _d, kind, places in entries
        for name in places
    }
    names |= {pair for pairs in AGENCIES.values() for pair in pairs}
    existing = set(Vendor.objects.values_list("name", flat=True))
    Vendor.objects.bulk_create(
        [Vendor(name=name, kind=kind) for name, kind in sorted(names) if name not in existing]
    )
    by_name: dict[str, list[Vendor]] = {}
    for vendor in Vendor.objects.all():
        by_name.setdefault(vendor.name, []).append(vendor)
    return by_name


def _bulk(rng, clients, vendors, now, forced=()) -> None:
    plans = []
    for n, (client_id, tier, owner) in enumerate(clients):
        status = (
            forced[n]
            if n < len(forced)
            else rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        )
        category = rng.choice(list(CATALOGUE))
        template, details, _kind, places = rng.choice(CATALOGUE[category])
        place = rng.choice(places)
        size = rng.randint(2, 8)
        age = datetime.timedelta(
            days=rng.uniform(0.2, 700)
            if status in (Status.CLOSED, Status.CANCELLED)
            else rng.uniform(0.05, 12)
        )
        created_at = now - age
        filled = {
            k: (
                v
                if v is not None
                else (
                    n
                    if k in ("party_size", "travellers", "seats", "guests", "passengers")
                    else place
                )
            )
            for k, v in details.items()
        }
        plans.append(
            (
                client_id,
                tier,
                owner,
                status,
                category,
                template.format(n=size, v=place),
                filled,
                place,
                created_at,
            )
        )
    _write(rng, plans, vendors, now)


def _write(rng, plans, vendors, now) -> None:
    requests = []
    for client_id, tier, owner, status, category, title, details, _place, created_at in plans:
        priority = rng.choices(["low", "normal", "high", "urgent"], [2, 10, 3, 1])[0]
        event_at = created_at + datetime.timedelta(days=rng.uniform(1, 20))
        requests.append(
            ServiceRequest(
                client_id=client_id, title=title, category=category, details=details, priority=priority,
                assignee_id=owner, created_by_id=owner, created_at=created_at, event_at=event_at, status=status,
                acknowledge_by=sla.acknowledge_by(tier=tier, priority=priority, created_at=created_at),
                due_at=sla.default_due(tier=tier, priority=priority, created_at=created_at, event_at=event_at),
                budget=rng.choice([None, 300, 800, 1500, 5000, 12000]),
            )
        )  # fmt: skip
    ServiceRequest.objects.bulk_create(requests, batch_size=1000)
    if requests[0].pk is None:  # SQLite before 3.35 gives no ids back
        last = ServiceRequest.objects.aggregate(m=Max("pk"))["m"]
        for offset, sr in enumerate(reversed(requests)):
            sr.pk = last - offset
    events, checklist, uses, feedbacks = [], [], [], []
    for sr, plan in zip(requests, plans, strict=True):
        moment = sr.created_at
        events.append(
            RequestEvent(
                service_request=sr,
                kind="created",
                to_value=Status.NEW,
                by_id=sr.assignee_id,
                at=moment,
            )
        )
        previous = Status.NEW
        for step in PATHS[sr.status]:
            moment = min(now, moment + datetime.timedelta(hours=rng.uniform(0.1, 20)))
            events.append(
                RequestEvent(
                    service_request=sr,
                    kind="transition",
                    from_value=previous,
                    to_value=step,
                    by_id=sr.assignee_id,
                    at=moment,
                )
            )
            for field in {
                Status.ACKNOWLEDGED: "acknowledged_at",
                Status.FULFILLED: "fulfilled_at",
                Status.CLOSED: "closed_at",
                Status.CANCELLED: "cancelled_at",
            }.get(step, "").split():
                setattr(sr, field, moment)
            if step == Status.IN_PROGRESS and rng.random() < 0.5:
                events.append(
                    RequestEvent(
                        service_request=sr,
                        kind="comment",
                        note=rng.choice(COMMENTS),
                        by_id=sr.assignee_id,
                        at=moment,
                    )
                )
            if step == Status.CLOSED:
                score = rng.choices(list(WORDS), [30, 30, 15, 10, 8, 4])[0]
                words = rng.choice(WORDS[score])
                feedbacks.append(
                    Feedback(
                        service_request=sr,
                        score=score,
                        words=words,
                        recorded_by_id=sr.assignee_id,
                        recorded_at=moment,
                    )
                )
                events.append(
                    RequestEvent(
                        service_request=sr,
                        kind="feedback",
                        to_value=str(score),
                        note=words,
                        by_id=sr.assignee_id,
                        at=moment,
                    )
                )
            previous = step
        place = plan[7]
        if sr.category in AGENCIES:
            place = rng.choice(AGENCIES[sr.category])[0]
        vendor = vendors.get(place, [None])[0]
        if vendor and sr.status != Status.NEW:
            stage = (
                "booked"
                if sr.status in (Status.FULFILLED, Status.CLOSED)
                else rng.choice(["asked", "quoted", "held"])
            )
            expires = (
                now + datetime.timedelta(hours=rng.uniform(3, 60))
                if stage in ("quoted", "held")
                else None
            )
            uses.append(
                VendorUse(
                    service_request=sr,
                    vendor=vendor,
                    what=sr.title,
                    stage=stage,
                    cost=rng.choice([180, 480, 950, 2400, 7800]),
                    expires_at=expires,
                )
            )
        if sr.status in (Status.IN_PROGRESS, Status.WAITING_ON_VENDOR):
            checklist += [ChecklistItem(service_request=sr, text="Confirm with the vendor", position=1, done_at=now),
                          ChecklistItem(service_request=sr, text="Send the details to the client", position=2)]  # fmt: skip
    ServiceRequest.objects.bulk_update(
        requests, ["acknowledged_at", "fulfilled_at", "closed_at", "cancelled_at"], batch_size=1000
    )
    RequestEvent.objects.bulk_create(events, batch_size=2000)
    ChecklistItem.objects.bulk_create(checklist, batch_size=2000)
    VendorUse.objects.bulk_create(uses, batch_size=2000)
    Feedback.objects.bulk_create(feedbacks, batch_size=2000)


def _featured(featured, vendors, now) -> int:
    """The first clients' requests tell a story: a dinner tonight on hold, flowers to follow up,
    and a ski trip every February (which the learner turns into an anticipated need)."""
    if not featured:
        return 0
    rng = random.Random(11)
    eloise = featured[0]
    plans = [
        (*eloise, Status.IN_PROGRESS, "dining", "Table for four at Le Cinq", {"party_size": 4, "venue": "Le Cinq", "occasion": "Wedding anniversary"}, "Le Cinq", now - datetime.timedelta(hours=5)),
        (*eloise, Status.FULFILLED, "gifts", "Anniversary flowers", {"recipient": "Henri", "occasion": "Anniversary"}, "Debeaulieu", now - datetime.timedelta(days=2)),
        (*eloise, Status.NEW, "transport", "Car to Orly on Friday", {"passengers": 2, "pickup": "Home", "dropoff": "Orly"}, "Orly", now - datetime.timedelta(minutes=50)),
    ]  # fmt: skip
    for years_ago, day in ((3, 3), (2, 9), (1, 31)):
        when = (
            now.replace(month=1, day=day) - datetime.timedelta(days=365 * years_ago)
            if day == 31
            else now.replace(month=2, day=day) - datetime.timedelta(days=365 * years_ago)
        )
        plans.append(
            (
                *eloise,
                Status.CLOSED,
                "travel",
                "Ski week in Courchevel",
                {"travellers": 4, "destination": "Courchevel"},
                "Courchevel",
                when,
            )
        )
    for client in featured[1:]:
        plans.append((*client, rng.choice([Status.WAITING_ON_CLIENT, Status.ACKNOWLEDGED]), "events", "Two seats for the Opéra Garnier gala", {"seats": 2, "event_name": "Gala"}, "the Opéra Garnier gala", now - datetime.timedelta(days=1)))  # fmt: skip
    _write(rng, plans, vendors, now)
    _featured_voice_notes(eloise, now)
    return len(plans)


def _featured_voice_notes(eloise, now) -> None:
    """Éloïse's voice notes: one about tonight's dinner (on the request's page and, linked, on her
    timeline), one about her last call (under that call). "Pistachio" finds her in the search."""
    client_id, _tier, concierge_id = eloise
    dinner = ServiceRequest.objects.get(client_id=client_id, title="Table for four at Le Cinq")
    note = seed_voice_note(
        client_id=client_id,
        by_id=concierge_id,
        transcript=(
            "Le Cinq confirmed the corner table by the window for half past eight. She wants a "
            "pistachio soufflé for Henri at dessert, as a surprise: tell the maître d' tomorrow."
        ),
        recorded_at=now - datetime.timedelta(hours=4),
    )
    dinner.voice_notes.add(note)
    call = Interaction.objects.filter(client_id=client_id).order_by("-occurred_at").first()
    if call is not None:
        seed_voice_note(
            client_id=client_id,
            by_id=concierge_id,
            interaction_id=call.pk,
            transcript=(
                "After the call: the chalet in Courchevel again in February, the quiet bedroom "
                "for Henri, and the ski instructor from last year if he is free."
            ),
            recorded_at=call.occurred_at + datetime.timedelta(minutes=3),
        )

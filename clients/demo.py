"""Demo clients for `seed_demo`: varied, French and international, and fast in bulk."""

import random

from .models import Client

FIRST_NAMES = [
    "Éloïse",
    "Amélie",
    "Hélène",
    "Béatrice",
    "Clémence",
    "Gaëlle",
    "Marguerite",
    "Solène",
    "Charles-Henri",
    "Jean-Baptiste",
    "François",
    "Aurélien",
    "Théophile",
    "Grégoire",
    "Loïc",
    "Isabella",
    "Sofia",
    "Alessandro",
    "Hiroshi",
    "Yuki",
    "Olivia",
    "James",
    "Amara",
    "Rania",
    "Karim",
    "Mateo",
    "Ingrid",
    "Lars",
    "Priya",
    "Arjun",
    "Chloé",
    "Noémie",
]
LAST_NAMES = [
    "d'Harcourt",
    "de La Rochefoucauld",
    "Lefèvre",
    "Bérard",
    "Dubois-Crancé",
    "Chevalier",
    "Saint-Exupéry",
    "Périer",
    "Rothenberg",
    "Vanderbilt",
    "Okonkwo",
    "Al-Mansouri",
    "Tanaka",
    "Rossi",
    "García Márquez",
    "O'Connell",
    "Lindqvist",
    "Mehta",
    "Moreau",
    "Delacroix",
    "Fontaine",
    "Beaumont",
    "Castellane",
    "Nakamura",
]


def seed_clients(*, count: int, concierges: list, rng: random.Random) -> int:
    tiers = [choice for choice, _ in Client.Tier.choices]
    batch = []
    for _ in range(count):
        primary, backup = (
            rng.sample(concierges, 2) if len(concierges) > 1 else (concierges[0], None)
        )
        batch.append(
            Client(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                tier=rng.choice(tiers),
                primary_concierge=primary,
                backup_concierge=backup,
            )
        )
    Client.objects.bulk_create(batch, batch_size=2000)
    return len(batch)

"""Finding the record a new or imported client may duplicate: same phone or email, or a very similar name."""

from difflib import SequenceMatcher

from .models import Client, ContactPoint
from .phones import to_e164
from .search import fold

SIMILAR_NAME = 0.85


def name_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def find_duplicates(
    *, queryset, first_name: str = "", last_name: str = "", phones=(), emails=(), limit: int = 5
) -> list[Client]:
    """Clients in `queryset` that match by phone or email, or whose full name is very similar."""
    normalized = {to_e164(p) for p in phones if p} - {None}
    normalized |= {e.strip().lower() for e in emails if e}
    found: dict[int, Client] = {}
    if normalized:
        matching = ContactPoint.objects.filter(normalized__in=normalized).values("client_id")
        for client in queryset.filter(pk__in=matching)[:limit]:
            found[client.pk] = client
    full_name = f"{first_name} {last_name}".strip()
    surname = fold(last_name).replace(" ", "")
    if full_name and surname:
        candidates = queryset.filter(search_text__contains=surname).exclude(pk__in=found)[:200]
        for client in candidates:
            if name_similarity(full_name, client.legal_name) >= SIMILAR_NAME or (
                client.preferred_name
                and name_similarity(full_name, f"{client.preferred_name} {client.last_name}")
                >= SIMILAR_NAME
            ):
                found[client.pk] = client
                if len(found) >= limit:
                    break
    return list(found.values())

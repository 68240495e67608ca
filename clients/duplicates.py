"""Finding the record a new or imported client may duplicate: same phone or email, or a very similar name.

Only clients of the given queryset are looked at: callers pass `Client.objects.visible_to(user)`, so a
duplicate the user may not see is never revealed.
"""

from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from .models import Client, ContactPoint
from .phones import to_e164
from .search import fold, glued

SIMILAR_NAME = 0.85
REASONS = {
    ContactPoint.Kind.PHONE: _("same phone"),
    ContactPoint.Kind.EMAIL: _("same email"),
    "name": _("similar name"),
}


def name_similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a), fold(b)).ratio()


def find_duplicates(
    *, queryset, first_name: str = "", last_name: str = "", phones=(), emails=(), limit: int = 5
) -> list[Client]:
    """Clients in `queryset` that match by phone or email, or whose full name is very similar.

    Each client found carries `duplicate_reasons`, e.g. ["same phone", "similar name"].
    """
    numbers = {to_e164(p) for p in phones if p} - {None}
    addresses = {e.strip().lower() for e in emails if e and e.strip()}
    found: dict[int, Client] = {}
    if numbers or addresses:
        points = ContactPoint.objects.filter(
            normalized__in=numbers | addresses, client__in=queryset
        ).values_list("client_id", "kind")
        kinds_by_client: dict[int, set] = {}
        for client_id, kind in points:
            kind = ContactPoint.Kind.PHONE if kind == ContactPoint.Kind.MESSAGING else kind
            kinds_by_client.setdefault(client_id, set()).add(kind)
        for client in queryset.filter(pk__in=list(kinds_by_client)[: limit * 4])[:limit]:
            client.duplicate_reasons = [
                REASONS[k]
                for k in (ContactPoint.Kind.PHONE, ContactPoint.Kind.EMAIL)
                if k in kinds_by_client[client.pk]
            ]
            found[client.pk] = client
    full_name = f"{first_name} {last_name}".strip()
    surname = glued(last_name)
    if full_name and len(surname) >= 2:
        for client in queryset.filter(search_text__contains=surname)[:200]:
            similar = name_similarity(full_name, client.legal_name) >= SIMILAR_NAME or (
                client.preferred_name
                and name_similarity(full_name, f"{client.preferred_name} {client.last_name}")
                >= SIMILAR_NAME
            )
            if not similar:
                continue
            if client.pk in found:
                found[client.pk].duplicate_reasons.append(REASONS["name"])
                continue
            if len(found) >= limit:
                break
            client.duplicate_reasons = [REASONS["name"]]
            found[client.pk] = client
    return list(found.values())

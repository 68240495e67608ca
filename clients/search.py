"""Client search: accent-free, case-free, partial words; the same answers on SQLite and PostgreSQL.

Each client keeps `search_text`: its names, contact points, tags and preferences, folded to lower case
without accents, with apostrophes and hyphens turned into spaces. A query is folded the same way and
every term must occur in it. On PostgreSQL a trigram GIN index serves these substring matches.
"""

import re
import unicodedata

from .models import Client, ContactPoint
from .phones import looks_like_phone, to_e164

SEPARATORS = re.compile(r"[\s'’‘`´\-‐‑–—_.,;:/()\"«»]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("ø", "o")
    return SEPARATORS.sub(" ", stripped.casefold()).strip()


def client_search_text(client: Client) -> str:
    parts = [
        client.first_name,
        client.last_name,
        client.preferred_name,
        client.form_of_address,
    ]
    for point in client.contact_points.all():
        parts.append(point.value)
        if point.normalized and point.kind != ContactPoint.Kind.EMAIL:
            digits = re.sub(r"\D", "", point.normalized)
            parts.append(digits)
            national = _national_digits(point.normalized)
            if national:
                parts.append(national)
    parts.extend(tag.name for tag in client.tags.all())
    parts.extend(pref.detail for pref in client.preferences.all())
    text = " ".join(fold(part) for part in parts if part)
    # Names also appear glued ("dharcourt", "charleshenri") so that a query typed without
    # the apostrophe or hyphen still matches.
    glued = [fold(n).replace(" ", "") for n in (client.first_name, client.last_name) if n]
    return f" {text} {' '.join(glued)} "


def _national_digits(e164: str) -> str:
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\D", "", national)


def refresh_search_text(client: Client) -> None:
    text = client_search_text(client)
    if text != client.search_text:
        Client.objects.filter(pk=client.pk).update(search_text=text)
        client.search_text = text


def search_clients(queryset, query: str):
    query = (query or "").strip()
    if not query:
        return queryset
    if looks_like_phone(query):
        e164 = to_e164(query)
        digits = re.sub(r"\D", "", e164 or query)
        return queryset.filter(search_text__contains=digits)
    for term in fold(query).split():
        queryset = queryset.filter(search_text__contains=term)
    return queryset

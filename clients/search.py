"""Client search: accent-free, case-free, partial words; the same answers on SQLite and PostgreSQL.

Each client keeps `search_text`: its names, contact points, tags, preferences and the transcripts of
its voice notes, folded to lower case
without accents, with apostrophes and hyphens turned into spaces. A query is folded the same way and
every term must occur in it. On PostgreSQL a trigram GIN index serves these substring matches
(migration 0002); `search_text` is a text column and Django's `LIKE` on it is index-friendly.

Nobody writes `search_text` by hand: `clients.search_sync` refreshes it from model signals whenever a
client, one of its searchable parts or a tag changes, however it was written (services, the ORM, the
admin). Bulk inserts, which send no signals, call `refresh_search_texts(ids)`, the same function;
`python manage.py rebuild_search` repairs every row.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import phonenumbers
from django.db import connection
from django.db.models import Case, Q, Value, When

from .models import Client, ContactPoint, VoiceNote
from .phones import looks_like_phone, to_e164

SEPARATORS = re.compile(r"[\s'’‘`´\-‐‑–—_.,;:/()\"«»]+")
# Letters that Unicode does not decompose into a base letter and an accent (ß casefolds to ss).
LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
NON_DIGITS = re.compile(r"\D")
PHONE_KINDS = (ContactPoint.Kind.PHONE, ContactPoint.Kind.MESSAGING)
SEARCHED_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "form_of_address",
    "search_text",
    "sort_name",
)


@lru_cache(maxsize=65536)  # names, tags and tastes repeat: bulk inserts fold them once
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return SEPARATORS.sub(" ", stripped.casefold().translate(LETTERS)).strip()


def glued(text: str) -> str:
    """ "d'Harcourt" → "dharcourt": so a name typed without its apostrophe or hyphen still matches."""
    return fold(text).replace(" ", "")


def phone_digits(e164: str) -> list[str]:
    """The digits of a number as callers type it: international (33612…) and national (0612…)."""
    found = [NON_DIGITS.sub("", e164)]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return found
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    found.append(NON_DIGITS.sub("", national))
    return found


def compose_search_text(
    *,
    first_name: str,
    last_name: str,
    preferred_name: str = "",
    form_of_address: str = "",
    contact_points: Iterable[ContactPoint] = (),
    tags: Iterable[str] = (),
    preferences: Iterable[str] = (),
    household: Iterable[str] = (),
    transcripts: Iterable[str] = (),
) -> str:
    """The search text of a client from its parts; pure, so bulk inserts can fill it in memory."""
    parts = [first_name, last_name, preferred_name, form_of_address]
    for point in contact_points:
        parts.append(point.value)
        if point.normalized and point.kind in PHONE_KINDS:
            parts.extend(phone_digits(point.normalized))
    parts.extend(tags)
    parts.extend(preferences)
    parts.extend(household)
    parts.extend(transcripts)
    text = " ".join(folded for folded in map(fold, filter(None, parts)) if folded)
    names = [n for n in (first_name, last_name, preferred_name, *household) if n]
    glued_names = " ".join(glued(n) for n in names)
    # "Müller" is also typed "Mueller": keep the German transliteration of names beside the plain one.
    spelled = " ".join(
        fold(transliterated) for n in names if (transliterated := n.translate(UMLAUTS)) != n
    )
    return f" {text} {glued_names} {spelled} ".replace("  ", " ")


def sort_name_of(first_name: str, last_name: str) -> str:
    return f"{glued(last_name)} {glued(first_name)}"[:250]


def client_search_text(client: Client) -> str:
    return compose_search_text(
        first_name=client.first_name,
        last_name=client.last_name,
        preferred_name=client.preferred_name,
        form_of_address=client.form_of_address,
        contact_points=client.contact_points.all(),
        tags=[tag.name for tag in client.tags.all()],
        preferences=[pref.detail for pref in client.preferences.all()],
        household=[relation.name for relation in client.relations.all()],
        transcripts=[
            note.transcript
            for note in client.voice_notes.all()
            if note.purpose == VoiceNote.Purpose.NOTE and note.transcript
        ],
    )


def refresh_search_texts(client_ids: Iterable[int], *, batch: int = 500) -> dict[int, str]:
    """Recompose the search text (and sort name) of these clients from what is stored; returns the
    changed search texts."""
    ids = sorted(set(client_ids))
    changed: dict[int, str] = {}
    for start in range(0, len(ids), batch):
        clients = list(
            Client.objects.filter(pk__in=ids[start : start + batch])
            .only(*SEARCHED_FIELDS)
            .prefetch_related("contact_points", "tags", "preferences", "relations", "voice_notes")
        )
        stale = []
        for client in clients:
            text = client_search_text(client)
            sort_name = sort_name_of(client.first_name, client.last_name)
            if (text, sort_name) != (client.search_text, client.sort_name):
                client.search_text, client.sort_name = text, sort_name
                stale.append(client)
        # update(), not save(): the history and the signals are for what a person changed.
        Client.objects.bulk_update(stale, ["search_text", "sort_name"])
        changed.update((client.pk, client.search_text) for client in stale)
    return changed


SEARCH_INDEX = "clients_client_search_trgm"


def flush_search_index() -> None:
    """Merge the trigram index's pending list into the index after a bulk load (PostgreSQL).

    A GIN index queues new entries in a pending list that every search scans and that only a
    vacuum or a full list merges; after seeding 10,000 clients the planner costed that list so
    high that it read the whole table instead (33 ms a search instead of 0.1 ms). Migration 0017
    keeps the list small; this empties it at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])


def search_clients(queryset, query: str):
    """Clients of `queryset` matching every term of `query` (or the phone number it looks like)."""
    query = (query or "").strip()[:200]
    if not query:
        return queryset
    if looks_like_phone(query):
        # As typed (maybe a foreign number in its national form) or read as a number of our region.
        candidates = {NON_DIGITS.sub("", query)}
        if e164 := to_e164(query):
            candidates.add(NON_DIGITS.sub("", e164))
        match = Q()
        for digits in candidates:
            match |= Q(search_text__contains=digits)
        return queryset.filter(match)
    terms = fold(query).split()[:8]
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    if all(len(term) < 3 for term in terms):
        # No trigram to look up: most clients match, and walking the name index finds a page at once.
        return queryset
    # Words that start with the terms come first ("lou" finds Lou before Guillou). Ordering by
    # this also keeps PostgreSQL on the trigram index: ordered by name alone, it walks the name
    # index hoping to meet 25 matches early, and a name late in the alphabet costs 150 ms at 100k.
    word_starts = Q()
    for term in terms:
        word_starts &= Q(search_text__contains=f" {term}")
    return queryset.alias(
        search_rank=Case(When(word_starts, then=Value(0)), default=Value(1))
    ).order_by("search_rank", *Client._meta.ordering)

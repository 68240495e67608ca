"""The UI speaks French: the main pages in French, and a catalogue with nothing left to translate."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from concierge.models import Reminder
from tests.factories import ClientFactory, PreferenceFactory, ServiceRequestFactory

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
FRENCH = {"Accept-Language": "fr"}


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr": [...]}.

    Enough of the format for our own catalogue (no polib: it is not a project dependency).
    Obsolete entries (``#~``) are skipped.
    """
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and "msgid" in entry:
                finish()
                entry = None
            entry = entry or {"flags": set(), "msgstr": {}}
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            finish()
            entry = None
        entry = entry or {"flags": set(), "msgstr": {}}
        value = ast.literal_eval(rest)
        if keyword.startswith("msgstr"):
            field = int(keyword[7:-1]) if "[" in keyword else 0
            entry["msgstr"][field] = value
        else:
            field = keyword
            entry[keyword] = value
    finish()
    return entries


def test_the_french_catalogue_is_complete():
    entries = parse_po(CATALOGUE)
    header = next(e for e in entries if e["msgid"] == "")
    assert "Language: fr\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header["msgstr"][0]
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [
        e["msgid"]
        for e in messages
        if not e["msgstr"] or any(not text for text in e["msgstr"].values())
    ]
    assert untranslated == []
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_translations_keep_every_placeholder():
    placeholder = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f")
    for entry in parse_po(CATALOGUE):
        if not entry["msgid"]:
            continue
        english = set(placeholder.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in entry["msgstr"].values():
            # A French singular may say "one" where English counts: it never invents one.
            assert set(placeholder.findall(text)) <= english, entry["msgid"]


@pytest.fixture
def profile(concierge):
    client = ClientFactory(primary_concierge=concierge, first_name="Éloïse", last_name="Harcourt")
    PreferenceFactory(client=client, kind="allergy", detail="Sesame")
    return client


def test_the_agenda_speaks_french(concierge_client, concierge, profile):
    Reminder.objects.create(
        owner=concierge,
        client=profile,
        kind=Reminder.Kind.MANUAL,
        note="Call back about the villa",
        due_at=timezone.now() - datetime.timedelta(days=2),
        dedupe_key="test:french",
    )
    response = concierge_client.get("/agenda/", headers=FRENCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert "Bonjour Camille" in html
    assert "Demandes" in html  # the navigation
    assert "Programmer un rappel" in html
    assert "En retard" in html
    assert "Good day" not in html
    assert ">Requests<" not in html


def test_a_client_profile_speaks_french(concierge_client, profile):
    html = concierge_client.get(f"/clients/{profile.pk}/", headers=FRENCH).content.decode()
    for words in ("Coordonnées", "Foyer", "Dates importantes", "Préférences", "Allergie"):
        assert words in html
    assert "Fil des échanges" in html
    assert "Household" not in html and "Preferences<" not in html


def test_requests_speak_french(concierge_client, profile):
    service_request = ServiceRequestFactory(client=profile, status="acknowledged")
    listing = concierge_client.get("/requests/", headers=FRENCH).content.decode()
    assert "Mes demandes" in listing
    assert "Prise en compte" in listing
    assert "Gastronomie" in listing
    board = concierge_client.get("/requests/?view=board", headers=FRENCH).content.decode()
    assert "Tableau" in board and "Attente prestataire" in board and "Réalisée" in board
    detail = concierge_client.get(f"/requests/{service_request.pk}/", headers=FRENCH)
    assert "Démarrer" in detail.content.decode()  # the next step, as a button


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/clients/", "Portefeuille"),
        ("/clients/new/", "Nouveau client"),
        ("/clients/import/", "Importer des clients"),
        ("/requests/new/", "Pour quel client"),
        ("/notifications/", "Aucune notification"),
        ("/me/calendar/", "Flux d’agenda"),
    ],
)
def test_other_pages_speak_french(concierge_client, profile, url, words):
    response = concierge_client.get(url, headers=FRENCH)
    assert response.status_code == 200
    assert words in response.content.decode()


def test_a_manager_sees_french_policies_and_satisfaction(manager_client):
    assert "Règles de service par niveau" in manager_client.get(
        "/team/policies/", headers=FRENCH
    ).content.decode("utf-8")
    assert "Par concierge" in manager_client.get(
        "/requests/satisfaction/", headers=FRENCH
    ).content.decode("utf-8")


def test_english_stays_the_default(concierge_client, profile):
    html = concierge_client.get("/agenda/", headers={"Accept-Language": "en"}).content.decode()
    assert "Good day, Camille" in html

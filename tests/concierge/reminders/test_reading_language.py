"""Every word a concierge reads is composed in their own language: a French and an English
concierge, one sweep and delivery, and each one's notification, email, digest, agenda and feed."""

import datetime
import zoneinfo

import pytest
import time_machine

from concierge.models import Notification
from concierge.reminders.delivery import deliver_due
from concierge.reminders.digest import send_morning_digests
from concierge.reminders.feed import calendar_token_issue
from concierge.reminders.ical import unfold
from concierge.reminders.sweep import sweep
from tests.conftest import make_user
from tests.factories import ClientFactory, ImportantDateFactory, ServiceRequestFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=PARIS)

FRENCH = ["Anniversaire de", "est à rendre le", "Le moment de prévoir"]
ENGLISH = ["Birthday of", "is due", "Time to plan", "Open it", "Good morning", "Your agenda"]
# Words of the French templates and translations that must never reach the English reader.
FRENCH_ONLY = [
    "Anniversaire de",
    "à rendre",
    "Le moment de prévoir",
    "Ouvrir",
    "Bonjour",
    "Votre agenda",
]


@pytest.fixture
def readers(team):
    amelie = make_user("amelie", team=team, first_name="Amélie", language="fr")
    grace = make_user("grace", team=team, first_name="Grace", language="en")
    for user in (amelie, grace):
        client = ClientFactory(
            first_name="Éloïse",
            last_name=f"d'Harcourt-{user.username}",
            tier="private",
            primary_concierge=user,
        )
        # Private tier: birthdays prompt 21 days ahead, at 09:00 (an hour ago: within the grace).
        ImportantDateFactory(client=client, kind="birthday", date=datetime.date(1975, 3, 31))
        with time_machine.travel(NOW - datetime.timedelta(hours=1), tick=False):
            ServiceRequestFactory(
                client=client,
                title="Dîner au Cinq",
                status="in_progress",
                due_at=NOW + datetime.timedelta(hours=3),
            )
    return {"fr": amelie, "en": grace}


def assert_reads_in(text, language):
    if language == "fr":
        for word in FRENCH[:2]:
            assert word in text, (word, text)
        for phrase in ENGLISH:
            assert phrase not in text, (phrase, text)
    else:
        for word in ("Birthday of", "is due"):
            assert word in text, (word, text)
        for phrase in FRENCH_ONLY:
            assert phrase not in text, (phrase, text)


def test_each_concierge_reads_everything_in_their_language(readers, client, mailoutbox):
    with time_machine.travel(NOW, tick=False):
        sweep()
        assert deliver_due() == 4
    emails = {m.to[0]: m for m in mailoutbox}
    assert len(mailoutbox) == 4

    for language, user in readers.items():
        # Notifications page and emails
        with time_machine.travel(NOW, tick=False):
            client.force_login(user)
            page = client.get("/notifications/").content.decode()
            agenda = client.get("/agenda/").content.decode()
        assert_reads_in(page, language)
        assert_reads_in(agenda, language)
        mine = [m for m in mailoutbox if m.to == [user.email]]
        text = " ".join(m.subject + m.body + m.alternatives[0][0] for m in mine)
        assert_reads_in(text, language)
        assert f'lang="{language}"' in mine[0].alternatives[0][0]
        assert "http://127.0.0.1:8000/" in mine[0].body  # SITE_URL, not a relative link

        # The calendar feed (no session: its owner's language)
        client.logout()
        token = calendar_token_issue(user=user)
        with time_machine.travel(NOW, tick=False):
            feed = unfold(client.get(f"/calendar/{token}.ics").content.decode())
        assert_reads_in(feed, language)

    # The digest, the next morning
    with time_machine.travel(datetime.datetime(2027, 3, 11, 7, 5, tzinfo=PARIS), tick=False):
        assert send_morning_digests() == 2
    digests = {m.to[0]: m for m in mailoutbox[4:]}
    french, english = digests[readers["fr"].email], digests[readers["en"].email]
    assert "Bonjour Amélie" in french.body and "Good morning" not in french.body
    assert "Good morning, Grace." in english.body
    for phrase in FRENCH_ONLY:
        assert phrase not in english.body + english.subject
    assert "Anniversaire" in french.body and "Birthday" not in french.body
    assert emails  # each had an email of their own


def test_switching_language_rewords_what_was_already_delivered(readers, client):
    with time_machine.travel(NOW, tick=False):
        sweep()
        deliver_due()
        grace = readers["en"]
        client.force_login(grace)
        assert "Birthday of" in client.get("/notifications/").content.decode()
        response = client.post("/me/language/", {"language": "fr", "next": "/notifications/"})
        assert response.status_code == 302 and response["Location"] == "/notifications/"
        grace.refresh_from_db()
        assert grace.language == "fr"
        page = client.get("/notifications/").content.decode()
    assert "Anniversaire de" in page and "Birthday of" not in page
    assert Notification.objects.filter(user=grace).count() == 2


def test_the_first_sign_in_takes_the_browsers_language(client, team):
    user = make_user("newcomer", team=team)
    assert user.language == ""
    client.post(
        "/accounts/login/",
        {"username": "newcomer", "password": "a-long-test-password"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    user.refresh_from_db()
    assert user.language == "fr"
    # Later sign-ins keep the choice, whatever the browser says.
    client.logout()
    client.post(
        "/accounts/login/",
        {"username": "newcomer", "password": "a-long-test-password"},
        headers={"Accept-Language": "en"},
    )
    user.refresh_from_db()
    assert user.language == "fr"
    assert (
        "Déconnexion" in client.get("/agenda/", headers={"Accept-Language": "en"}).content.decode()
    )


def test_an_unknown_language_is_refused(concierge_client, concierge):
    assert concierge_client.post("/me/language/", {"language": "de"}).status_code == 400
    concierge.refresh_from_db()
    assert concierge.language == ""

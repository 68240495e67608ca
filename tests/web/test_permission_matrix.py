"""Who may open what, for every URL of the configuration that names an object (pages, htmx
fragments, exports, feeds, transitions): the client's concierge, another concierge, the team's
manager, another team's manager, and a visitor who is not signed in. The URLs are walked from the URL
configuration: a new URL with an object in it and no row here makes `test_every_url_with_an_object_
is_in_the_matrix` fail."""

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver

from tests.concierge.test_every_url_needs_login import walk
from tests.factories import ClientFactory
from tests.web.test_every_url_answers_a_whole_page import url_for, world  # noqa: F401

HTMX = {"HX-Request": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OK, NOT_FOUND, LOGIN = "ok", "404", "login"
ROLES = ("owner", "colleague", "manager", "outside_manager", "anonymous")

# (owner, another concierge, the team's manager, another team's manager); anonymous: always LOGIN.
CLIENT_DATA = (OK, NOT_FOUND, OK, NOT_FOUND)
MANAGERS_ONLY = (NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)
PERSONAL = (OK, NOT_FOUND, NOT_FOUND, NOT_FOUND)  # a notification is its reader's alone
SHARED = (OK, OK, OK, OK)  # the vendor book is the house's, not a client's

MATRIX = {
    "clients:detail": CLIENT_DATA,
    "clients:identity-edit": CLIENT_DATA,
    "clients:timeline": CLIENT_DATA,
    "clients:history": CLIENT_DATA,
    "clients:interaction-create": CLIENT_DATA,
    "clients:need-create": CLIENT_DATA,
    "clients:need-edit": CLIENT_DATA,
    "clients:need-delete": CLIENT_DATA,
    "clients:need-accept": CLIENT_DATA,
    "clients:need-reject": CLIENT_DATA,
    "clients:part-create": CLIENT_DATA,
    "clients:part-edit": CLIENT_DATA,
    "clients:part-delete": CLIENT_DATA,
    "clients:preference-confirm": CLIENT_DATA,
    "clients:export": CLIENT_DATA,
    "clients:erase": CLIENT_DATA,
    "clients:merge": CLIENT_DATA,
    "clients:photo": CLIENT_DATA,
    "clients:voice-upload": CLIENT_DATA,
    "clients:capture": CLIENT_DATA,
    "clients:quick-note": CLIENT_DATA,
    "clients:voice-audio": CLIENT_DATA,
    "clients:voice-transcript": CLIENT_DATA,
    "clients:voice-transcript-edit": CLIENT_DATA,
    "clients:voice-retry": CLIENT_DATA,
    "clients:voice-delete": CLIENT_DATA,
    "requests:detail": CLIENT_DATA,
    "requests:edit": CLIENT_DATA,
    "requests:transition": CLIENT_DATA,
    "requests:comment": CLIENT_DATA,
    "requests:checklist-create": CLIENT_DATA,
    "requests:checklist-toggle": CLIENT_DATA,
    "requests:vendor-create": CLIENT_DATA,
    "requests:vendor-delete": CLIENT_DATA,
    "requests:vendor-stage": CLIENT_DATA,
    "requests:feedback": CLIENT_DATA,
    "requests:voice-upload": CLIENT_DATA,
    "requests:vendor-edit": SHARED,
    "reminder-done": CLIENT_DATA,
    "reminder-dismiss": CLIENT_DATA,
    "reminder-snooze": CLIENT_DATA,
    "notification-go": PERSONAL,
    "handover": CLIENT_DATA,
    "client-assign": MANAGERS_ONLY,
    "client-access": MANAGERS_ONLY,
    "member-access": MANAGERS_ONLY,
    "member-reminders": MANAGERS_ONLY,
    "absence-end": MANAGERS_ONLY,
    "team-unlock": MANAGERS_ONLY,  # a member of the manager's own team
}
# Named by a secret rather than an id: tested in tests/concierge/reminders/test_calendar_feed.py
# and, for a reassignment, in tests/concierge/team/test_reassignment.py.
BY_SECRET = {"calendar-feed", "password_reset_confirm"}
# DEBUG's media files (only mounted with DEBUG; files are served by access-checked views).
NOT_OURS = {"None"}


def object_routes():
    for name, route in sorted(set(walk(get_resolver().url_patterns))):
        if "<" in route and name.split(":")[-1] not in BY_SECRET | NOT_OURS:
            yield name, route


def test_every_url_with_an_object_is_in_the_matrix():
    names = {name for name, _ in object_routes()}
    assert names - set(MATRIX) == set(), "add these URLs to MATRIX"
    assert set(MATRIX) - names == set(), "these URLs are gone: remove them from MATRIX"


@pytest.fixture
def people(concierge, colleague, manager, outside_manager):
    return {
        "owner": concierge,
        "colleague": colleague,
        "manager": manager,
        "outside_manager": outside_manager,
    }


def answer(client, url: str, data: dict) -> list:
    """The responses to a plain GET, an htmx GET and a POST (each may be refused by method)."""
    return [
        client.get(url),
        client.get(url, headers=HTMX),
        client.post(url, data, headers=HTMX),
    ]


@pytest.fixture
def second_client(concierge):
    """A merge names two records, both the owner's."""
    return ClientFactory(first_name="Charles", last_name="Duval", primary_concierge=concierge)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "route"), list(object_routes()))
def test_the_permission_matrix(client, world, people, second_client, name, route, role):  # noqa: F811
    if name == "clients:photo":
        world["client"].photo.save("face.png", ContentFile(PNG), save=True)
    url = url_for(name, route, world)
    data = {}
    if name == "clients:merge":
        url += f"?other={second_client.pk}"
        data = {"other": second_client.pk}
    if role != "anonymous":
        client.force_login(people[role])
        expected = MATRIX[name][ROLES.index(role)]
    else:
        expected = LOGIN
    for response in answer(client, url, data):
        status = response.status_code
        where = f"{role} {response.request['REQUEST_METHOD']} {url} ({name}) → {status}"
        if status == 405:
            continue  # the other method is the one this URL answers
        if expected == LOGIN:
            assert status == 302 and response["Location"].startswith("/accounts/login/"), where
        elif expected == NOT_FOUND:
            assert status == 404, where
        else:
            assert status < 500 and status not in (403, 404), where

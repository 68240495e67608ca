"""Property-based: arbitrary text, unicode, control characters and oversized values thrown at the
key forms and query parameters never give a 500, and a refused form writes nothing (issue 16).

Bounded in time: a few dozen examples per test, no deadline (the database sets the pace)."""

import pytest
from django.test import Client as HttpClient
from hypothesis import given
from hypothesis import strategies as st

from clients.models import AnticipatedNeed, Client, Interaction
from requests.models import RequestEvent, ServiceRequest, Vendor
from tests.factories import ClientFactory

from .hostile import FUZZ, hostile

QUERY_URLS = [
    ("/clients/", ["q", "tier", "status", "sort", "page", "concierge", "tag"]),
    ("/requests/", ["q", "status", "category", "assignee", "view", "page", "due", "priority"]),
    ("/requests/vendors/", ["q", "kind", "page"]),
    ("/requests/new/", ["q", "client", "category"]),
    ("/requests/new/details/", ["category", "details-venue"]),
    ("/requests/satisfaction/", ["days"]),
    ("/agenda/", ["day", "page"]),
    ("/notifications/", ["page"]),
]


def _counts():
    return [
        m.objects.count()
        for m in (Client, Interaction, AnticipatedNeed, Vendor, ServiceRequest, RequestEvent)
    ]


@pytest.fixture
def http(concierge):
    http = HttpClient(raise_request_exception=False)
    http.force_login(concierge)
    return http


@pytest.fixture
def record(concierge):
    return ClientFactory(primary_concierge=concierge)


@FUZZ
@given(value=hostile, which=st.integers(min_value=0, max_value=len(QUERY_URLS) - 1))
def test_query_parameters_never_give_a_500(http, record, value, which):
    url, names = QUERY_URLS[which]
    for name in names:
        response = http.get(url, {name: value})
        assert response.status_code < 500, (url, name, value[:80])
    for url, params in (
        (f"/clients/{record.pk}/merge/", {"q": value}),
        (f"/clients/{record.pk}/merge/", {"other": value}),
        (f"/clients/{record.pk}/timeline/", {"before": value}),
        (f"/clients/{record.pk}/", {"edit": value}),
    ):
        assert http.get(url, params).status_code < 500, (url, value[:80])


def _post_writes_all_or_nothing(http, url, data, headers=None):
    before = _counts()
    response = http.post(url, data, headers=headers or {})
    assert response.status_code < 500, (url, {k: str(v)[:60] for k, v in data.items()})
    if response.status_code not in (301, 302, 303):
        assert _counts() == before, (url, data)
    return response


@FUZZ
@given(first=hostile, last=hostile, phone=hostile, email=hostile, notes=hostile)
def test_the_new_client_form(http, first, last, phone, email, notes):
    _post_writes_all_or_nothing(
        http,
        "/clients/new/",
        {
            "first_name": first,
            "last_name": last,
            "phone": phone,
            "email": email,
            "notes": notes,
            "tier": "premium",
        },
    )


@FUZZ
@given(title=hostile, next_on=hostile, lead=hostile, recurrence=hostile, interval=hostile)
def test_the_anticipated_need_form(http, record, title, next_on, lead, recurrence, interval):
    _post_writes_all_or_nothing(
        http,
        f"/clients/{record.pk}/needs/new/",
        {
            "title": title,
            "recurrence": recurrence,
            "next_on": next_on,
            "lead_days": lead,
            "interval_days": interval,
            "category": title[:5],
        },
    )


@FUZZ
@given(summary=hostile, channel=hostile, direction=hostile, when=hostile)
def test_the_interaction_form(http, record, summary, channel, direction, when):
    response = http.post(
        f"/clients/{record.pk}/interactions/new/",
        {"summary": summary, "channel": channel, "direction": direction, "occurred_at": when},
    )
    assert response.status_code < 500


@FUZZ
@given(name=hostile, kind=hostile, phone=hostile, email=hostile, version=hostile)
def test_the_vendor_form(http, name, kind, phone, email, version):
    _post_writes_all_or_nothing(
        http,
        "/requests/vendors/new/",
        {
            "name": name,
            "kind": kind,
            "phone": phone,
            "email": email,
            "notes": name,
            "version": version,
        },
    )


@FUZZ
@given(title=hostile, budget=hostile, due=hostile, category=hostile, priority=hostile)
def test_the_new_request_form(http, record, title, budget, due, category, priority):
    _post_writes_all_or_nothing(
        http,
        f"/requests/new/?client={record.pk}",
        {
            "client": record.pk,
            "title": title,
            "category": category,
            "priority": priority,
            "budget": budget,
            "due_at": due,
            "event_date": due,
            "details": title,
        },
    )


@FUZZ
@given(value=hostile)
def test_the_sign_in_and_code_forms(client, db, value):
    assert client.post("/accounts/login/", {"username": value, "password": value}).status_code < 500
    assert client.post("/accounts/password_reset/", {"email": value}).status_code < 500

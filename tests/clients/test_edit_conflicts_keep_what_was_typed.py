"""Two tabs edit the same thing: the second save shows theirs and yours side by side, keeps what
was typed, and saves the choice made per field (theirs, yours, or both texts)."""

import pytest

from clients.models import ContactPoint
from tests.clients.test_profile import identity
from tests.factories import ClientFactory, ContactPointFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def eloise(concierge):
    return ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        notes="Prefers calls after six.",
        tier="private",
        primary_concierge=concierge,
    )


def test_the_second_tab_sees_both_notes_and_keeps_its_own(concierge_client, eloise):
    first_tab = identity(eloise, notes="Theirs: allergic to lilies, tell the florist.")
    second_tab = identity(eloise, notes="Mine: the chauffeur is Marc now.", tier="premium")
    concierge_client.post(f"/clients/{eloise.pk}/identity/", first_tab, headers=HTMX)

    page = concierge_client.post(f"/clients/{eloise.pk}/identity/", second_tab, headers=HTMX)
    html = page.content.decode()
    assert "Someone else changed this while you were editing." in html
    assert "Nothing of yours is lost" in html
    assert "Theirs: allergic to lilies, tell the florist." in html  # their side
    assert "Mine: the chauffeur is Marc now.</textarea>" in html  # the form keeps what was typed
    assert 'name="resolve-notes" value="both"' in html  # a text can keep both
    assert 'name="resolve-tier" value="theirs"' in html  # one choice per field that differs
    assert 'name="resolve-first_name"' not in html  # only the fields that differ
    assert 'name="version" value="2"' in html  # saving now is a decision, not a stale write
    eloise.refresh_from_db()
    assert eloise.notes.startswith("Theirs")


def test_choices_per_field_are_saved(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/identity/",
        identity(eloise, notes="Theirs.", form_of_address="Madame"),
        headers=HTMX,
    )
    concierge_client.post(
        f"/clients/{eloise.pk}/identity/",
        {
            **identity(eloise, notes="Mine.", form_of_address="Maître", tier="premium"),
            "version": 2,
            "resolve-notes": "both",
            "resolve-form_of_address": "theirs",
            "resolve-tier": "yours",
        },
        headers=HTMX,
    )
    eloise.refresh_from_db()
    assert eloise.notes == "Theirs.\n\nMine."
    assert eloise.form_of_address == "Madame"
    assert eloise.tier == "premium"
    assert eloise.version == 3


def test_a_profile_section_conflict_keeps_the_typed_values(concierge_client, eloise):
    point = ContactPointFactory(client=eloise, kind="email", value="e@old.example", label="home")
    concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "email", "value": "e@theirs.example", "label": "home", "version": 1},
        headers=HTMX,
    )
    html = concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "email", "value": "e@mine.example", "label": "work", "version": 1},
        headers=HTMX,
    ).content.decode()
    assert 'value="e@mine.example"' in html and 'value="work"' in html
    assert "e@theirs.example" in html and 'name="resolve-value"' in html
    concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {
            "kind": "email",
            "value": "e@mine.example",
            "label": "work",
            "version": 2,
            "resolve-value": "theirs",
        },
        headers=HTMX,
    )
    point = ContactPoint.objects.get(pk=point.pk)
    assert (point.value, point.label) == ("e@theirs.example", "work")


def test_a_request_edit_conflict_keeps_the_typed_values(concierge_client, concierge):
    from tests.factories import ServiceRequestFactory

    sr = ServiceRequestFactory(
        client=ClientFactory(primary_concierge=concierge), title="Dinner", notes="Window table"
    )
    base = {"category": "dining", "priority": "normal", "currency": "EUR", "version": 1}
    first = {**base, "title": "Dinner for six", "notes": "Window table"}
    concierge_client.post(f"/requests/{sr.pk}/edit/", first)
    page = concierge_client.post(
        f"/requests/{sr.pk}/edit/",
        {**base, "title": "Dinner for two", "notes": "Quiet corner", "details-party_size": "2"},
    )
    html = page.content.decode()
    assert 'value="Dinner for two"' in html and "Quiet corner</textarea>" in html
    assert "Dinner for six" in html and "Window table" in html
    assert 'name="resolve-notes" value="both"' in html
    assert 'name="resolve-details-party_size"' in html
    sr.refresh_from_db()
    assert sr.title == "Dinner for six"

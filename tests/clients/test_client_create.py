"""/clients/new/: the quick form, the duplicate warning, and who becomes the client's concierge."""

import pytest
from django.urls import reverse

from clients.models import Client, ContactPoint
from clients.search import search_clients
from tests.conftest import make_user
from tests.factories import ClientFactory, ContactPointFactory

URL = reverse("clients:create")


def post(http, **fields):
    data = {"first_name": "", "last_name": "", "tier": "premium", **fields}
    return http.post(URL, data)


def test_the_form_asks_for_the_essentials(concierge_client):
    response = concierge_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("first_name", "last_name", "preferred_name", "form_of_address", "tier"):
        assert f'name="{name}"' in html
    assert 'name="phone"' in html and 'type="tel"' in html
    assert 'name="email"' in html and 'name="tags_text"' in html
    # A concierge does not choose: they become the concierge.
    assert 'name="primary_concierge"' not in html


def test_a_concierge_creates_a_client_and_becomes_its_concierge(concierge_client, concierge):
    response = post(
        concierge_client,
        first_name="Éloïse",
        last_name="d'Harcourt",
        preferred_name="Lou",
        form_of_address="Madame",
        tier="private",
        phone="06 12 34 56 78",
        email="Eloise@Harcourt.fr",
        tags_text="VIP, art collector, vip",
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[client.pk])
    assert client.primary_concierge == concierge
    assert (client.preferred_name, client.form_of_address, client.tier) == (
        "Lou",
        "Madame",
        "private",
    )
    assert sorted(t.name for t in client.tags.all()) == ["VIP", "art collector"]
    points = {p.kind: p for p in client.contact_points.all()}
    assert points[ContactPoint.Kind.PHONE].normalized == "+33612345678"
    assert points[ContactPoint.Kind.EMAIL].normalized == "eloise@harcourt.fr"
    assert all(p.preferred for p in points.values())
    # Searchable at once, by name, phone, email and tag.
    for query in ("dharcourt", "+33 6 12 34 56 78", "eloise@harcourt", "collector"):
        assert list(search_clients(Client.objects.all(), query)) == [client]
    # The record's history says who created it.
    assert client.history.get().history_user == concierge
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Lou d'Harcourt is now in your portfolio."]


def test_phone_and_email_are_optional(concierge_client):
    response = post(concierge_client, first_name="Karim", last_name="Rossi")
    assert response.status_code == 302
    assert Client.objects.get().contact_points.count() == 0


def test_an_existing_tag_is_reused_whatever_its_case(concierge_client, concierge):
    from clients.models import Tag

    Tag.objects.create(name="VIP")
    post(concierge_client, first_name="Karim", last_name="Rossi", tags_text=" vip ,  Ski  resort")
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Ski resort", "VIP"]


@pytest.mark.parametrize("phone", ["12", "06 12", "+33 6 12 34 56 78 90 12", "hello"])
def test_a_phone_that_is_not_a_possible_number_is_a_clear_error_and_nothing_is_created(
    concierge_client, phone
):
    response = post(concierge_client, first_name="Karim", last_name="Rossi", phone=phone)
    assert response.status_code == 200
    assert "is not a possible phone number" in response.content.decode()
    assert not Client.objects.exists()


def test_names_are_required(concierge_client):
    response = post(concierge_client, first_name="Karim")
    assert response.status_code == 200
    assert response.context["form"].errors["last_name"]
    assert not Client.objects.exists()


def test_a_bad_email_is_an_error(concierge_client):
    response = post(concierge_client, first_name="Karim", last_name="Rossi", email="karim@")
    assert response.context["form"].errors["email"]
    assert not Client.objects.exists()


# Duplicates: warn, link to the existing record, create only when asked again.


@pytest.fixture
def existing(concierge):
    client = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    ContactPointFactory(client=client, value="+33 6 12 34 56 78")
    ContactPointFactory(client=client, kind=ContactPoint.Kind.EMAIL, value="lou@harcourt.fr")
    return client


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"first_name": "Marie", "last_name": "Martin", "phone": "0612345678"}, "same phone"),
        ({"first_name": "Marie", "last_name": "Martin", "email": "LOU@harcourt.fr"}, "same email"),
        ({"first_name": "Eloise", "last_name": "D'Harcourt"}, "similar name"),
        ({"first_name": "Éloise", "last_name": "Harcourt"}, "similar name"),
    ],
)
def test_a_likely_duplicate_is_shown_before_anything_is_created(
    concierge_client, existing, fields, reason
):
    response = post(concierge_client, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is this someone you already know?" in html
    assert f'href="{reverse("clients:detail", args=[existing.pk])}"' in html
    assert "Open this client instead" in html
    assert reason in html
    assert 'name="create_anyway" value="1"' in html
    # The form keeps what was typed.
    assert f'value="{fields["first_name"]}"' in html
    assert Client.objects.count() == 1


def test_create_anyway_creates_the_client_after_the_warning(concierge_client, existing):
    response = post(
        concierge_client,
        first_name="Eloise",
        last_name="d'Harcourt",
        phone="0612345678",
        create_anyway="1",
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_a_different_person_is_created_without_a_warning(concierge_client, existing):
    response = post(
        concierge_client, first_name="Charles", last_name="Harcourt", phone="0699887766"
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_a_duplicate_the_user_may_not_see_is_never_revealed(client, outsider, existing):
    client.force_login(outsider)
    response = post(
        client,
        first_name="Éloïse",
        last_name="d'Harcourt",
        phone="+33612345678",
        email="lou@harcourt.fr",
    )
    # The outsider gets their own new client; nothing about ours shows.
    assert response.status_code == 302
    new = Client.objects.exclude(pk=existing.pk).get()
    assert new.primary_concierge == outsider
    assert response["Location"] == reverse("clients:detail", args=[new.pk])


def test_a_colleague_is_not_warned_about_a_client_of_someone_else_in_the_team(
    client, colleague, existing
):
    client.force_login(colleague)
    response = post(client, first_name="Éloïse", last_name="d'Harcourt", phone="0612345678")
    assert response.status_code == 302
    assert Client.objects.exclude(pk=existing.pk).get().primary_concierge == colleague


# Managers assign the client to a concierge of their team.


def test_a_manager_chooses_the_concierge_and_backup_among_the_teams_concierges(
    manager_client, concierge, colleague, outsider, manager
):
    html = manager_client.get(URL).content.decode()
    assert f'<option value="{concierge.pk}">Camille Laurent</option>' in html
    assert f'<option value="{colleague.pk}"' in html
    assert f'<option value="{outsider.pk}"' not in html
    assert f'<option value="{manager.pk}"' not in html
    response = post(
        manager_client,
        first_name="Karim",
        last_name="Rossi",
        primary_concierge=concierge.pk,
        backup_concierge=colleague.pk,
    )
    assert response.status_code == 302
    client = Client.objects.get()
    assert (client.primary_concierge, client.backup_concierge) == (concierge, colleague)


def test_a_manager_cannot_assign_someone_outside_the_team(manager_client, outsider):
    response = post(
        manager_client, first_name="Karim", last_name="Rossi", primary_concierge=outsider.pk
    )
    assert response.status_code == 200
    assert response.context["form"].errors["primary_concierge"]
    assert not Client.objects.exists()


def test_a_manager_must_choose_a_concierge_and_a_different_backup(manager_client, concierge):
    response = post(manager_client, first_name="Karim", last_name="Rossi")
    assert response.context["form"].errors["primary_concierge"]
    response = post(
        manager_client,
        first_name="Karim",
        last_name="Rossi",
        primary_concierge=concierge.pk,
        backup_concierge=concierge.pk,
    )
    assert response.context["form"].errors["backup_concierge"]
    assert not Client.objects.exists()


def test_a_concierge_cannot_assign_the_client_to_someone_else(
    concierge_client, concierge, colleague
):
    post(concierge_client, first_name="Karim", last_name="Rossi", primary_concierge=colleague.pk)
    assert Client.objects.get().primary_concierge == concierge


def test_a_manager_of_another_team_sees_no_concierge_of_ours(client, other_team, concierge):
    boss = make_user("other-boss", role="manager", team=other_team)
    client.force_login(boss)
    assert f'<option value="{concierge.pk}"' not in client.get(URL).content.decode()


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

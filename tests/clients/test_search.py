"""Search semantics: the same answers on SQLite and PostgreSQL (run this file on both)."""

import pytest
from django.db import connection

from clients.models import Client, ContactPoint, Preference
from clients.search import fold, search_clients
from clients.services import client_create, client_part_delete, client_part_save, client_update
from tests.factories import ClientFactory, ContactPointFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return {c.legal_name for c in queryset}


def search(query, queryset=None):
    return names(search_clients(queryset or Client.objects.all(), query))


@pytest.fixture
def people():
    ClientFactory(first_name="Éloïse", last_name="d'Harcourt", preferred_name="Lou")
    ClientFactory(first_name="Charles-Henri", last_name="de La Rochefoucauld")
    ClientFactory(first_name="Hélène", last_name="Lefèvre", form_of_address="Madame la Présidente")
    ClientFactory(first_name="Sean", last_name="O’Connell")
    ClientFactory(first_name="Charles", last_name="Henriot")
    ClientFactory(first_name="Zoë", last_name="Dubois-Crancé")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("eloise", {"Éloïse d'Harcourt"}),
        ("ÉLOÏSE", {"Éloïse d'Harcourt"}),
        ("harcourt", {"Éloïse d'Harcourt"}),
        ("d'harcourt", {"Éloïse d'Harcourt"}),
        ("d’Harcourt", {"Éloïse d'Harcourt"}),
        ("dharcourt", {"Éloïse d'Harcourt"}),
        ("lou", {"Éloïse d'Harcourt"}),
        ("ROCHEFOUC", {"Charles-Henri de La Rochefoucauld"}),
        ("larochefoucauld", {"Charles-Henri de La Rochefoucauld"}),
        ("charles henri", {"Charles-Henri de La Rochefoucauld", "Charles Henriot"}),
        ("charles-henri", {"Charles-Henri de La Rochefoucauld", "Charles Henriot"}),
        ("charleshenri", {"Charles-Henri de La Rochefoucauld"}),
        ("charles roche", {"Charles-Henri de La Rochefoucauld"}),
        ("helene lefevre", {"Hélène Lefèvre"}),
        ("présidente", {"Hélène Lefèvre"}),
        ("oconnell", {"Sean O’Connell"}),
        ("o'connell", {"Sean O’Connell"}),
        ("zoe crance", {"Zoë Dubois-Crancé"}),
        ("duboiscrance", {"Zoë Dubois-Crancé"}),
        ("  eloise   harcourt ", {"Éloïse d'Harcourt"}),
        ("eloise rochefoucauld", set()),
        ("nobody", set()),
    ],
)
def test_search_ignores_case_accents_apostrophes_and_hyphens_and_takes_partial_words(
    people, query, expected
):
    assert search(query) == expected


def test_words_that_start_with_the_query_come_first_then_by_name():
    ClientFactory(first_name="Anne", last_name="Guillou")
    ClientFactory(first_name="Marie", last_name="Louvois")
    ClientFactory(first_name="Lou", last_name="Bérard")
    ClientFactory(first_name="Zoé", last_name="Abellou")
    found = [c.legal_name for c in search_clients(Client.objects.all(), "lou")]
    assert found == ["Lou Bérard", "Marie Louvois", "Zoé Abellou", "Anne Guillou"]


def test_an_empty_query_returns_everyone(people):
    assert len(search("")) == len(search("   ")) == 6


def test_wildcards_in_a_query_are_literal(people):
    assert search("%") == set()
    assert search("e%e") == set()


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "+33612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06 12 34",
        "34 56 78",
    ],
)
def test_a_phone_number_is_found_however_it_is_typed(typed):
    owner = ClientFactory(first_name="Amélie", last_name="Bérard")
    ContactPointFactory(client=owner, value="06 12 34 56 78")
    other = ClientFactory(first_name="Karim", last_name="Rossi")
    ContactPointFactory(client=other, value="+33 6 99 88 77 66")
    assert search(typed) == {"Amélie Bérard"}


def test_a_foreign_number_typed_in_its_national_form_is_found():
    geneva = ClientFactory(first_name="Ingrid", last_name="Lindqvist")
    ContactPointFactory(client=geneva, value="+41 79 123 45 67")
    london = ClientFactory(first_name="James", last_name="Vanderbilt")
    ContactPointFactory(client=london, value="+44 7700 900123")
    assert search("079 123 45 67") == {"Ingrid Lindqvist"}
    assert search("+41791234567") == {"Ingrid Lindqvist"}
    assert search("07700 900123") == {"James Vanderbilt"}
    assert search("+44 7700 900 123") == {"James Vanderbilt"}


def test_an_email_is_found_whole_or_in_part():
    client = ClientFactory(first_name="Solène", last_name="Périer")
    ContactPointFactory(
        client=client, kind=ContactPoint.Kind.EMAIL, value="Solene.Perier@Maison.fr"
    )
    ClientFactory(first_name="Solène", last_name="Moreau")
    assert search("solene.perier@maison.fr") == {"Solène Périer"}
    assert search("maison.fr") == {"Solène Périer"}
    assert search("perier@") == {"Solène Périer"}


def test_tags_and_preferences_are_searched(concierge):
    collector = client_create(
        by=concierge, first_name="Grégoire", last_name="Castellane", tags=[_tag("Art collector")]
    )
    client_part_save(
        client=collector, part=Preference(detail="Château Latour 1982"), version=None, by=concierge
    )
    ClientFactory(first_name="Grégoire", last_name="Beaumont")
    assert search("collector") == {"Grégoire Castellane"}
    assert search("chateau latour") == {"Grégoire Castellane"}
    assert search("gregoire latour") == {"Grégoire Castellane"}


def test_a_concierge_never_finds_another_concierges_client(concierge, colleague, outsider):
    ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    theirs = ClientFactory(first_name="Éloïse", last_name="Bérard", primary_concierge=colleague)
    ContactPointFactory(client=theirs, value="06 12 34 56 78")
    ClientFactory(first_name="Éloïse", last_name="Tanaka", primary_concierge=outsider)
    mine = Client.objects.visible_to(concierge)
    assert search("eloise", mine) == {"Éloïse d'Harcourt"}
    assert search("0612345678", mine) == set()
    assert search("berard", mine) == set()


# Every write path keeps the search text up to date.


def _tag(name):
    from clients.models import Tag

    return Tag.objects.get_or_create(name=name)[0]


def test_renaming_a_client_updates_what_search_finds(concierge):
    client = client_create(by=concierge, first_name="Loïc", last_name="Fontaine")
    client_update(client=client, by=concierge, version=client.version, last_name="Delacroix")
    assert search("delacroix") == {"Loïc Delacroix"}
    assert search("fontaine") == set()


def test_changing_tags_through_client_update_updates_what_search_finds(concierge):
    client = client_create(by=concierge, first_name="Noémie", last_name="Rossi", tags=[_tag("Ski")])
    assert search("ski") == {"Noémie Rossi"}
    client_update(client=client, by=concierge, version=client.version, tags=[_tag("Opera")])
    assert search("opera") == {"Noémie Rossi"}
    assert search("ski") == set()


def test_contact_points_and_preferences_saved_or_deleted_update_what_search_finds(concierge):
    client = client_create(by=concierge, first_name="Mateo", last_name="García Márquez")
    phone = client_part_save(
        client=client, part=ContactPoint(value="06 11 22 33 44"), version=None, by=concierge
    )
    client_part_save(
        client=client,
        part=Preference(detail="Never shellfish", kind=Preference.Kind.ALLERGY),
        version=None,
        by=concierge,
    )
    assert search("0611223344") == search("shellfish") == {"Mateo García Márquez"}
    phone.value = "07 55 44 33 22"
    client_part_save(client=client, part=phone, version=phone.version, by=concierge)
    assert search("+33 7 55 44 33 22") == {"Mateo García Márquez"}
    assert search("0611223344") == set()
    client_part_delete(client=client, part=phone, version=phone.version)
    assert search("0755443322") == set()


def test_fold_is_the_same_for_a_name_and_its_plain_spelling():
    assert fold("Œuvre Straße Æsir Łódź") == "oeuvre strasse aesir lodz"
    assert fold("Charles‑Henri d’Harcourt") == "charles henri d harcourt"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_on_postgresql_the_search_uses_the_trigram_index(people):
    # Tiny tables are scanned whatever the indexes; the point is that the generated SQL can use it.
    queryset = search_clients(Client.objects.order_by(), "harcourt")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "clients_client_search_trgm" in plan


def test_an_edit_in_the_admin_updates_what_search_finds(client, concierge):
    from tests.conftest import make_user

    # The admin applies the access rules too: the operator manages the concierge's team.
    root = make_user("root", is_staff=True, is_superuser=True, role="manager", team=concierge.team)
    client.force_login(root)
    record = client_create(by=concierge, first_name="Loïc", last_name="Fontaine")
    response = client.post(
        f"/admin/clients/client/{record.pk}/change/",
        {
            "first_name": "Loïc",
            "last_name": "Delacroix",
            "tier": "premium",
            "status": "active",
            "primary_concierge": concierge.pk,
            "tags": [_tag("Opera").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert search("delacroix opera") == {"Loïc Delacroix"}
    assert search("fontaine") == set()

"""Files as French spreadsheets save them, and duplicates decided row by row on the preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients import importing
from clients.models import Client, ClientMerge, ContactPoint
from tests.factories import ClientFactory, ContactPointFactory

FRENCH_EXCEL = (
    "Prénom;Nom;Téléphone;Courriel;Date de naissance;Étiquettes;Civilité\r\n"
    "Éloïse;Périer;06 12 34 56 78;eloise@example.fr;23/04/1975;Art|Gastronomie;Madame\r\n"
    "Hélène;Bérard;;helene@example.fr;;;\r\n"
).encode("cp1252")


def preview(client, name, content, **extra):
    return client.post(
        reverse("clients:import"),
        {"action": "preview", "file": SimpleUploadedFile(name, content), **extra},
    )


def confirm(client, token, **decisions):
    return client.post(
        reverse("clients:import"), {"action": "confirm", "token": token, **decisions}
    )


def test_a_windows_1252_semicolon_file_with_french_headers_is_imported(concierge_client, concierge):
    page = preview(concierge_client, "clients.csv", FRENCH_EXCEL)
    parsed = page.context["parsed"]
    assert parsed.is_valid, parsed.errors
    first = parsed.rows[0]
    assert (first.first_name, first.last_name, first.form_of_address) == (
        "Éloïse",
        "Périer",
        "Madame",
    )
    assert first.birthday == "1975-04-23" and first.tags == ["Art", "Gastronomie"]
    assert not parsed.notices  # every French column was understood
    confirm(concierge_client, page.context["token"])
    eloise = Client.objects.get(last_name="Périer")
    assert eloise.primary_concierge == concierge
    assert eloise.contact_points.get(kind="phone").normalized == "+33612345678"
    assert eloise.important_dates.get().date.isoformat() == "1975-04-23"


@pytest.mark.parametrize(
    "content",
    [
        "prénom\tnom\tcourriel\nÉloïse\tPérier\te@example.fr\n".encode(
            "utf-16"
        ),  # Excel "Unicode text"
        "\ufeffprenom,nom,e-mail\nÉloïse,Périer,e@example.fr\n".encode(),  # CSV UTF-8 (BOM)
        "First name;Last name;E-mail\nÉloïse;Périer;e@example.fr\n".encode("cp1252"),
    ],
)
def test_the_encodings_and_separators_spreadsheets_write(content):
    upload = SimpleUploadedFile("clients.csv", content)
    row = importing.read_upload(upload).rows[0]
    assert (row.first_name, row.last_name, row.emails[0]["value"]) == (
        "Éloïse",
        "Périer",
        "e@example.fr",
    )


def test_the_date_error_names_both_accepted_formats():
    row = importing.parse_csv("nom;prénom;naissance\nPérier;Éloïse;April 23\n").rows[0]
    assert "DD/MM/YYYY or YYYY-MM-DD" in row.problems[0]


@pytest.fixture
def anne(concierge):
    anne = ClientFactory(first_name="Anne", last_name="Moreau", primary_concierge=concierge)
    ContactPointFactory(client=anne, value="06 11 22 33 44")
    return anne


DUPLICATES = (
    b"first_name,last_name,phone,email,tags\n"
    b"Anne,Moreau,+33 6 11 22 33 44,anne@example.fr,Golf\n"
    b"Paul,Rossi,,,\n"
    b"Paul,Rossi,,,\n"
)


def test_a_flagged_duplicate_is_merged_into_the_existing_client_from_the_preview(
    concierge_client, anne
):
    page = preview(concierge_client, "dups.csv", DUPLICATES)
    html = page.content.decode()
    assert f'value="merge:{anne.pk}"' in html and "Merging adds this row" in html
    response = confirm(
        concierge_client,
        page.context["token"],
        **{"decision-2": f"merge:{anne.pk}", "decision-4": "skip"},
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2  # Anne (merged into) and one Paul Rossi
    anne.refresh_from_db()
    assert set(anne.contact_points.values_list("kind", "normalized")) == {
        ("phone", "+33611223344"),
        ("email", "anne@example.fr"),
    }
    assert [t.name for t in anne.tags.all()] == ["Golf"]
    assert ClientMerge.objects.get().survivor == anne
    done = concierge_client.get(reverse("clients:import")).content.decode()
    assert "Merged into existing clients" in done and "1 row skipped" in done


def test_a_flagged_duplicate_can_be_imported_anyway(concierge_client, anne):
    page = preview(concierge_client, "dups.csv", DUPLICATES)
    confirm(
        concierge_client, page.context["token"], **{"decision-2": "import", "decision-4": "import"}
    )
    assert Client.objects.filter(last_name="Moreau").count() == 2
    assert Client.objects.filter(last_name="Rossi").count() == 2


def test_a_merge_into_a_client_that_was_not_offered_is_refused(concierge_client, anne, outsider):
    stranger = ClientFactory(primary_concierge=outsider)
    page = preview(concierge_client, "dups.csv", DUPLICATES)
    refused = confirm(
        concierge_client, page.context["token"], **{"decision-2": f"merge:{stranger.pk}"}
    )
    assert refused.status_code == 400
    assert Client.objects.count() == 2 and ContactPoint.objects.count() == 1


def test_the_client_list_links_to_the_import(concierge_client):
    html = concierge_client.get(reverse("clients:list")).content.decode()
    assert f'href="{reverse("clients:import")}"' in html

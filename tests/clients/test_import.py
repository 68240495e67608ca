"""Importing clients from CSV and vCard files: preview first, then all rows or none."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from clients import importing
from clients.importing import writing
from clients.models import Client, ContactPoint, ImportantDate, Tag
from tests.factories import ClientFactory, ContactPointFactory

FILES = Path(__file__).parent / "files"
URL = reverse("clients:import")


def upload(name, content=None):
    data = content if content is not None else (FILES / name).read_bytes()
    return SimpleUploadedFile(name, data)


def preview(http, name, content=None, **extra):
    return http.post(URL, {"action": "preview", "file": upload(name, content), **extra})


def confirm(http, token):
    return http.post(URL, {"action": "confirm", "token": token})


def test_the_page_documents_the_columns_and_offers_an_example_file(concierge_client):
    page = concierge_client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    for column in importing.COLUMNS:
        assert f"<code>{column}</code>" in body
    assert "?template=csv" in body

    example = concierge_client.get(URL, {"template": "csv"})
    assert example["Content-Type"].startswith("text/csv")
    assert "attachment" in example["Content-Disposition"]
    # The example file is itself a valid import.
    parsed = importing.read_upload(upload("example.csv", example.content))
    assert parsed.is_valid and len(parsed.rows) == 2


def test_a_good_csv_is_previewed_then_imported_with_normalised_contact_points(
    concierge_client, concierge
):
    Tag.objects.create(name="Art")
    page = preview(concierge_client, "good.csv")
    assert page.status_code == 200
    assert Client.objects.count() == 0  # a preview creates nothing
    body = page.content.decode()
    assert "Éloïse" in body and "Whitmore" in body and "Tanaka" in body
    assert "Import all 3 clients" in body
    token = page.context["token"]

    done = confirm(concierge_client, token)
    assert done.status_code == 302 and done["Location"] == URL
    assert Client.objects.count() == 3

    eloise = Client.objects.get(last_name="d'Harcourt")
    assert eloise.primary_concierge == concierge
    assert eloise.preferred_name == "Élo"
    assert eloise.form_of_address == "Madame la Présidente"
    assert eloise.tier == Client.Tier.PRIVATE
    assert eloise.notes == "Prefers calls after 6 pm; never before 10"
    phone = eloise.contact_points.get(kind=ContactPoint.Kind.PHONE)
    assert phone.normalized == "+33612345678" and phone.preferred
    email = eloise.contact_points.get(kind=ContactPoint.Kind.EMAIL)
    assert email.normalized == "eloise.dharcourt@example.com"
    # An existing tag is reused whatever its case; a new one is created once.
    assert sorted(eloise.tags.values_list("name", flat=True)) == ["Art", "Gastronomy"]
    assert Tag.objects.filter(name__iexact="art").count() == 1
    birthday = eloise.important_dates.get()
    assert (
        birthday.kind == ImportantDate.Kind.BIRTHDAY and birthday.date.isoformat() == "1975-04-23"
    )
    # History says who created the record and its parts; search finds them.
    assert eloise.history.get().history_user == concierge
    assert phone.history.get().history_user == concierge
    assert eloise.history.get().history_change_reason == "Imported from good.csv"
    assert " eloise " in eloise.search_text and "612345678" in eloise.search_text

    james = Client.objects.get(last_name="Whitmore")
    assert james.tier == Client.Tier.PREMIUM
    assert list(
        james.contact_points.filter(kind="phone").values_list("normalized", "preferred")
    ) == [("+442079460958", True), ("+41791234567", False)]
    assert list(james.tags.values_list("name", flat=True)) == ["golf"]
    assert Client.objects.get(last_name="Tanaka").tier == Client.Tier.ESSENTIAL

    after = concierge_client.get(URL)
    assert "3 clients imported" in after.content.decode()
    assert reverse("clients:list") in after.content.decode()
    # The token was used: confirming again imports nothing more.
    assert confirm(concierge_client, token).status_code == 400
    assert Client.objects.count() == 3


def test_a_good_vcard_is_imported(concierge_client, concierge):
    page = preview(concierge_client, "good.vcf")
    assert page.context["parsed"].is_valid, page.context["parsed"].errors
    confirm(concierge_client, page.context["token"])

    charles = Client.objects.get(last_name="Rochefoucauld")
    assert charles.first_name == "Charles-Henri"
    assert charles.preferred_name == "Charlie"
    assert charles.notes == (
        "Loves Burgundy wines, especially Meursault.\nAllergic to shellfish – tell the restaurant."
    )
    assert sorted(charles.tags.values_list("name", flat=True)) == ["VIP", "Wine, Burgundy"]
    phones = list(
        charles.contact_points.filter(kind="phone").values_list("normalized", "label", "preferred")
    )
    assert ("+33698765432", "mobile", True) in phones
    assert ("+33142685300", "office", False) in phones
    assert charles.contact_points.get(kind="email").value == "ch@rochefoucauld.example"
    assert charles.contact_points.get(kind="address").value == (
        "12 rue de l'Université, 75007 Paris, France"
    )
    assert charles.important_dates.get().date.isoformat() == "1968-11-02"

    yuki = Client.objects.get(last_name="Nakamura")
    assert yuki.first_name == "Yuki"
    assert yuki.contact_points.get().normalized == "+819012345678"
    birthday = yuki.important_dates.get()
    assert (birthday.date.month, birthday.date.day) == (2, 29)
    assert birthday.age_at_next() is None  # year unknown


def test_vcard_lines_are_unfolded_and_escapes_decoded():
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:P=C3=A9rier;Ama=\n"
        "ra\nTEL;CELL;PREF:0611223344\nEMAIL:amara@exa\n mple.com\nNOTE:a\\;b\\\\c\nEND:VCARD\n"
    )
    row = importing.parse_vcards(text).rows[0]
    assert (row.first_name, row.last_name) == ("Amara", "Périer")
    assert row.phones == [{"value": "0611223344", "label": "mobile", "preferred": True}]
    assert row.emails[0]["value"] == "amara@example.com"
    assert row.notes == "a;b\\c"


def test_vcard_errors_name_the_card(concierge_client):
    content = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Moreau;Anne;;;\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Madonna\r\nTEL:12\r\nBDAY:1980-13-45\r\nEND:VCARD\r\n"
    )
    page = preview(concierge_client, "contacts.vcf", content)
    assert page.context["parsed"].errors == [
        "card 2: first name is missing",
        "card 2: '12' is not a phone number",
        "card 2: birthday '1980-13-45' is not a date (write it as YYYY-MM-DD)",
    ]
    assert "token" not in page.context
    assert Client.objects.count() == 0


def test_an_unfinished_vcard_is_refused():
    with pytest.raises(importing.ImportFileError, match="END:VCARD"):
        importing.parse_vcards("BEGIN:VCARD\nN:Moreau;Anne\n")


def test_a_file_with_bad_rows_names_each_error_and_imports_nothing(concierge_client):
    page = preview(concierge_client, "bad.csv")
    assert page.status_code == 200
    body = page.content.decode()
    errors = page.context["parsed"].errors
    assert errors == [
        "row 3: last name is missing",
        "row 4: '12' is not a phone number",
        "row 5: tier 'gold' is not one of essential, premium, private",
        "row 6: 'ines@' is not an email address",
    ]
    for message in errors:
        assert message.replace("'", "&#x27;") in body
    assert "Nothing can be imported yet" in body
    assert 'name="token"' not in body and "Import all" not in body
    assert "token" not in page.context
    # Even a forged confirmation imports nothing: no valid preview was kept.
    assert confirm(concierge_client, "forged").status_code == 400
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "PNG"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        ("clients.csv", b"first_name,last_name\n\x00\x01\x02\x03binary", "binary"),
        ("clients.xlsx", b"PK\x03\x04", ".xlsx"),
        ("notes.csv", b"just some text\nwith no header\n", "first_name"),
        ("contacts.vcf", b"first_name,last_name\nA,B\n", "BEGIN:VCARD"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_a_file_that_is_not_csv_or_vcard_is_refused_clearly(
    concierge_client, name, content, expected
):
    page = preview(concierge_client, name, content)
    assert page.status_code == 200
    errors = page.context["form"].errors["file"]
    assert expected in errors[0]
    assert "parsed" not in page.context
    assert Client.objects.count() == 0


def test_a_file_over_two_megabytes_is_refused(concierge_client):
    header = b"first_name,last_name,notes\n"
    row = b"Anne,Moreau," + b"x" * 1000 + b"\n"
    page = preview(concierge_client, "big.csv", header + row * 2200)
    assert "2 MB" in page.context["form"].errors["file"][0]


def test_comma_or_semicolon_and_a_bom_are_all_accepted():
    for text in (
        '\ufefffirst_name,last_name,notes\nAnne,Moreau,"Likes tea; hates coffee, truly"\n',
        "FIRST_NAME;LAST_NAME;NOTES\r\nAnne;Moreau;Likes tea, hates coffee, truly\r\n",
    ):
        row = importing.parse_csv(text.lstrip("\ufeff")).rows[0]
        assert (row.first_name, row.last_name) == ("Anne", "Moreau")
    parsed = importing.read_upload(upload("x.csv", "\ufefffirst_name;last_name\nA;B\n".encode()))
    assert parsed.rows[0].first_name == "A"


def test_duplicates_of_visible_clients_and_within_the_file_are_warned(
    concierge_client, concierge, outsider
):
    existing = ClientFactory(first_name="Anne", last_name="Moreau", primary_concierge=concierge)
    ContactPointFactory(client=existing, value="06 11 22 33 44")
    # Someone else's client is not shown, even when it matches.
    ClientFactory(first_name="Paul", last_name="Rossi", primary_concierge=outsider)
    content = (
        b"first_name,last_name,phone\n"
        b"Annie,Dubois,+33 6 11 22 33 44\n"  # same phone as Anne Moreau
        b"Paul,Rossi,\n"
        b"Paul,Rossi,\n"  # same as the row above
    )
    page = preview(concierge_client, "dups.csv", content)
    assert page.context["parsed"].is_valid
    rows = dict((row.number, dups) for row, dups in page.context["preview_rows"])
    assert rows[2].existing == [existing]
    assert rows[3] is None
    assert [r.number for r in rows[4].in_file] == [3] and rows[4].existing == []
    body = page.content.decode()
    assert "Possible duplicate" in body and reverse("clients:detail", args=[existing.pk]) in body
    assert "row 3 of this file" in body
    # Duplicates warn, they do not block.
    assert "Import, as chosen for each row" in body and "decision-4" in body


def test_errors_in_any_row_prevent_every_creation(concierge_client):
    content = b"first_name,last_name\nAnne,Moreau\nPaul,Rossi\nClaire,\n"
    page = preview(concierge_client, "one-bad.csv", content)
    assert page.context["parsed"].errors == ["row 4: last name is missing"]
    assert "token" not in page.context
    assert Client.objects.count() == 0


def test_a_failure_in_the_middle_of_the_import_rolls_everything_back(concierge_client, monkeypatch):
    page = preview(concierge_client, "good.csv")
    real_bulk_create = writing.bulk_create_with_history
    written = []

    def failing_after_the_clients(objs, model, **kwargs):
        if model is ContactPoint:  # the clients are in, their phones are not: fail here
            raise DatabaseError("disk full")
        written.append(model)
        return real_bulk_create(objs, model, **kwargs)

    monkeypatch.setattr(writing, "bulk_create_with_history", failing_after_the_clients)
    failed = confirm(concierge_client, page.context["token"])
    assert written == [Client]
    assert failed.status_code == 400
    assert "nothing was imported" in failed.content.decode()
    assert Client.objects.count() == 0
    assert Client.tags.through.objects.count() == 0
    assert Client.history.count() == 0 and ContactPoint.history.count() == 0

    # The preview is still there: once the trouble is over, the same confirmation works.
    monkeypatch.setattr(writing, "bulk_create_with_history", real_bulk_create)
    assert confirm(concierge_client, page.context["token"]).status_code == 302
    assert Client.objects.count() == 3


def test_another_concierge_cannot_confirm_someone_elses_import(
    client, concierge, colleague, django_user_model
):
    client.force_login(concierge)
    token = preview(client, "good.csv").context["token"]

    client.force_login(colleague)  # a new session, as on another browser
    refused = confirm(client, token)
    assert refused.status_code == 400
    assert Client.objects.count() == 0


def test_a_manager_assigns_the_imported_clients_to_a_concierge_of_their_team(
    manager_client, manager, concierge, outsider
):
    page = manager_client.get(URL)
    choices = list(page.context["form"].fields["primary_concierge"].queryset)
    assert concierge in choices and outsider not in choices and manager not in choices

    missing = preview(manager_client, "good.csv")
    assert "primary_concierge" in missing.context["form"].errors
    foreign = preview(manager_client, "good.csv", primary_concierge=outsider.pk)
    assert "primary_concierge" in foreign.context["form"].errors

    page = preview(manager_client, "good.csv", primary_concierge=concierge.pk)
    confirm(manager_client, page.context["token"])
    assert set(Client.objects.values_list("primary_concierge", flat=True)) == {concierge.pk}


def test_a_concierge_cannot_pick_another_concierge(concierge_client, concierge, colleague):
    page = preview(concierge_client, "good.csv", primary_concierge=colleague.pk)
    confirm(concierge_client, page.context["token"])
    assert set(Client.objects.values_list("primary_concierge", flat=True)) == {concierge.pk}


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_confirming_works_with_redis_down_and_a_double_click_imports_once(
    concierge_client, settings
):
    """The double-click guard is a row in the import's transaction, not a cache entry: with the
    cache unreachable the import goes through, and a second confirmation that had read the same
    preview (the session before the first one cleared it) is refused."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    page = preview(concierge_client, "good.csv")
    token = page.context["token"]
    pending = concierge_client.session["clients_import_pending"]
    assert confirm(concierge_client, token).status_code == 302
    imported = Client.objects.count()
    assert imported > 0
    session = concierge_client.session
    session["clients_import_pending"] = pending  # the second click read the session first
    session.save()
    refused = confirm(concierge_client, token)
    assert refused.status_code == 400
    assert "already being processed" in refused.content.decode()
    assert Client.objects.count() == imported

"""Each input that once gave a 500 (issue 16), on both databases: now a clear refusal or a page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.models import Client
from tests.factories import ClientFactory, InteractionFactory


@pytest.fixture
def record(concierge):
    return ClientFactory(primary_concierge=concierge)


@pytest.mark.parametrize(
    "url",
    ["/requests/vendors/?q=%00", "/requests/new/?q=%00", "/clients/?q=a%00b", "/requests/?q=%01"],
)
def test_a_nul_or_control_character_in_a_query_is_refused_with_a_400(concierge_client, url):
    response = concierge_client.get(url)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_a_nul_in_the_merge_search_is_refused(concierge_client, record):
    response = concierge_client.get(f"/clients/{record.pk}/merge/?q=%00")
    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(concierge_client, record):
    response = concierge_client.post(
        f"/clients/{record.pk}/interactions/new/",
        {"channel": "call", "direction": "out", "summary": "hello\x00world"},
    )
    assert response.status_code == 400
    assert not record.interactions.exists()


def test_tabs_and_new_lines_in_a_text_area_are_accepted(concierge_client, record):
    response = concierge_client.get("/clients/?q=a%09b%0D%0Ac")
    assert response.status_code == 200


def test_a_superscript_digit_as_a_client_id_is_no_500(concierge_client):
    response = concierge_client.get("/requests/new/?client=%C2%B2")
    assert response.status_code == 200  # the client picker, as for no client at all
    assert concierge_client.get("/requests/new/?client=" + "9" * 40).status_code == 200


def test_a_client_id_too_large_for_the_database_is_a_404_or_the_picker(concierge_client):
    assert concierge_client.get("/requests/new/?client=99999999999999999").status_code == 404


def test_an_impossible_timeline_cursor_is_refused_clearly(concierge_client, record):
    InteractionFactory(client=record)
    url = f"/clients/{record.pk}/timeline/"
    response = concierge_client.get(url, {"before": "2024-13-45T25:61"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert concierge_client.get(url, {"before": "2024-01-02T03:04:05+00:00"}).status_code == 200
    assert concierge_client.get(url, {"before": "2024-01-02T03:04:05"}).status_code == 200


def _vcard(charset: str) -> bytes:
    return (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\n"
        f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET={charset}:caf=E9 xn--=FF=00\r\n"
        "END:VCARD\r\n"
    ).encode()


def _preview(http, name, content):
    upload = SimpleUploadedFile(name, content, content_type="text/vcard")
    return http.post("/clients/import/", {"action": "preview", "file": upload})


@pytest.mark.parametrize("charset", ["idna", "punycode", "no-such-charset", "rot13", "base64"])
def test_a_vcard_in_a_charset_that_is_not_text_is_refused_clearly(concierge_client, charset):
    response = _preview(concierge_client, "cards.vcf", _vcard(charset))
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be read" in page
    assert not Client.objects.exists()


def test_a_vcard_in_latin_1_is_read_and_its_nul_dropped(concierge_client):
    response = _preview(concierge_client, "cards.vcf", _vcard("ISO-8859-1"))
    assert response.status_code == 200
    assert "café" in response.content.decode()


def test_a_note_folded_over_690000_lines_previews(concierge_client):
    # Linear time is proven by counting steps, not by a clock (test_import_charsets_and_folds.py).
    card = "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane\nNOTE:a\n" + " b\n" * 690_000 + "END:VCARD\n"
    response = _preview(concierge_client, "folded.vcf", card.encode())
    assert response.status_code == 200
    assert "Jane" in response.content.decode()


def test_a_username_longer_than_any_account_is_refused_not_a_500(client, db):
    # Found by the property tests: django-axes stored it in a 255-character column.
    response = client.post("/accounts/login/", {"username": "x" * 500, "password": "p"})
    assert response.status_code == 200
    assert client.post("/admin/login/", {"username": "é" * 300, "password": "p"}).status_code == 200

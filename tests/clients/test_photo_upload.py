"""A client's photo is decoded and re-encoded on upload: only pixels are kept (issue 16)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clients.models import Client
from tests.clients.conftest import stored_files
from tests.clients.test_profile import identity
from tests.factories import ClientFactory


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


def jpeg(size=(1600, 1200), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (180, 140, 90))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "Firmware 1.0"  # Software
        image.save(out, format="JPEG", exif=data)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def upload(http, client, name: str, content: bytes):
    return http.post(
        f"/clients/{client.pk}/identity/",
        {**identity(client), "photo": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )


def test_a_photo_is_stored_as_a_fresh_jpeg_without_metadata_and_at_profile_size(
    concierge_client, eloise, private_root
):
    response = upload(concierge_client, eloise, "portrait.jpg", jpeg(exif=True))

    assert response.status_code == 302
    eloise.refresh_from_db()
    stored = eloise.photo.read()
    assert b"SecretCam" not in stored and b"Firmware" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and max(image.size) == 1024
        assert not image.getexif()
    assert not eloise.photo.name.endswith("portrait.jpg")


def test_a_jpeg_html_polyglot_keeps_its_picture_and_loses_the_html(
    concierge_client, eloise, private_root
):
    polyglot = jpeg((64, 64)) + b"<html><script>alert(document.cookie)</script></html>"

    assert upload(concierge_client, eloise, "photo.html", polyglot).status_code == 302

    eloise.refresh_from_db()
    stored = eloise.photo.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert eloise.photo.name.endswith(".jpg")


def test_a_truncated_jpeg_is_refused_and_nothing_changes(concierge_client, eloise, private_root):
    truncated = jpeg((800, 600))[:1500]

    response = upload(concierge_client, eloise, "cut.jpg", truncated)

    assert response.status_code == 200
    assert "This photo cannot be read" in response.content.decode()
    assert Client.objects.get(pk=eloise.pk).photo.name == ""
    assert stored_files(private_root) == []


@pytest.mark.parametrize("side", [8_000, 20_000])  # past our cap; past Pillow's own guard too
def test_a_pixel_bomb_is_refused_before_it_is_decoded(concierge_client, eloise, private_root, side):
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG", optimize=True)
    bomb = out.getvalue()
    assert len(bomb) < 100_000  # tiny on disk, tens of millions of pixels decoded

    response = upload(concierge_client, eloise, "bomb.png", bomb)

    assert response.status_code == 200
    assert "The photo is too large" in response.content.decode()
    assert Client.objects.get(pk=eloise.pk).photo.name == ""
    assert stored_files(private_root) == []

"""A backup restored into an empty database finds every client, note and file (issue 16)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from clients.models import Client, Interaction, VoiceNote
from clients.voice import voice_note_create
from concierge.models import User
from requests.models import RequestVoiceNote
from tests.audio import tone
from tests.conftest import make_user
from tests.factories import (
    ClientFactory,
    InteractionFactory,
    ServiceRequestFactory,
    VendorFactory,
)


@pytest.fixture
def media(settings, tmp_path):
    """Both file stores in a temporary folder; returns the private one (photos and audio)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


def test_a_backup_restores_into_an_empty_database_with_every_client_note_and_file(
    transactional_db, media, tmp_path, team, no_transcription
):
    owner = make_user("owner", team=team)
    clients = [ClientFactory(primary_concierge=owner) for _ in range(5)]
    notes = [InteractionFactory(client=c, summary=f"Note for {c.pk}") for c in clients]
    clients[0].photo.save("portrait.jpg", ContentFile(b"\xff\xd8 not really a jpeg"))
    VendorFactory(name="Le Cinq")
    photo_name = clients[0].photo.name
    voice = voice_note_create(
        client=clients[1], by=owner, upload=SimpleUploadedFile("n.ogg", tone("ogg", seconds=1))
    )
    voice.transcript = "Pistachio soufflé for Henri"
    voice.save()
    RequestVoiceNote.objects.create(
        service_request=ServiceRequestFactory(client=clients[1]), voice_note=voice
    )
    audio_name, audio = voice.audio.name, (media / voice.audio.name).read_bytes()

    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["clients.Client"] == 5
    assert f"private/{photo_name}" in manifest["files"]
    assert f"private/{audio_name}" in manifest["files"]

    call_command("flush", "--noinput")
    (media / photo_name).unlink()
    (media / audio_name).unlink()
    assert not Client.objects.exists()

    call_command("restore", str(tmp_path / "backup"))
    assert sorted(Client.objects.values_list("pk", flat=True)) == sorted(c.pk for c in clients)
    assert sorted(Interaction.objects.values_list("summary", flat=True)) == sorted(
        n.summary for n in notes
    )
    assert User.objects.get(username="owner").check_password("a-long-test-password")
    restored = Client.objects.get(pk=clients[0].pk)
    assert restored.photo.read() == b"\xff\xd8 not really a jpeg"
    assert restored.history.exists()
    kept = VoiceNote.objects.get(pk=voice.pk)
    assert kept.audio.name == audio_name and kept.audio.read() == audio
    assert kept.transcript == "Pistachio soufflé for Henri"
    assert RequestVoiceNote.objects.filter(voice_note=kept).exists()
    # New rows get new ids (sequences moved past the restored ones).
    assert ClientFactory(primary_concierge=owner).pk > max(c.pk for c in clients)


def test_restore_refuses_a_database_that_is_not_empty(transactional_db, tmp_path, media, team):
    make_user("owner", team=team)
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "b"))


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path, media):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "b"))

"""What is captured on the phone arrives once: the same capture key posted twice (a resend after a
lost answer, a reload, two tabs, two requests at the same instant) keeps one note."""

import datetime
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

import clients.capture
from clients.models import Interaction, VoiceNote
from tests.audio import tone
from tests.clients.conftest import stored_files
from tests.factories import ClientFactory

XHR = {"X-Requested-With": "XMLHttpRequest"}


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


@pytest.fixture(autouse=True)
def no_transcription(settings):
    settings.TRANSCRIPTION_BACKEND = "none"


def post_note(http, client, key, summary="Prefers the corner table", **extra):
    return http.post(
        reverse("clients:quick-note", args=[client.pk]),
        {"summary": summary, "capture_key": str(key), **extra},
        headers=XHR,
    )


def post_recording(http, client, key, **extra):
    return http.post(
        reverse("clients:voice-upload", args=[client.pk]),
        {
            "audio": SimpleUploadedFile("recording.webm", tone("webm"), content_type="audio/webm"),
            "purpose": "note",
            "language": "en",
            "capture_key": str(key),
            "answer": "toast",
            **extra,
        },
        headers=XHR,
    )


def test_a_quick_note_posted_twice_is_kept_once(concierge_client, eloise, concierge):
    key = uuid.uuid4()
    first = post_note(concierge_client, eloise, key)
    second = post_note(concierge_client, eloise, key)

    assert (first.status_code, second.status_code) == (201, 200)
    note = Interaction.objects.get()
    assert first.json() == {"id": note.pk, "created": True}
    assert second.json() == {"id": note.pk, "created": False}
    assert (note.client, note.by, note.channel) == (eloise, concierge, Interaction.Channel.NOTE)
    assert note.summary == "Prefers the corner table"
    assert note.capture_key == key


def test_a_recording_posted_twice_is_kept_once_with_one_file(
    concierge_client, eloise, private_root
):
    key = uuid.uuid4()
    first = post_recording(concierge_client, eloise, key)
    second = post_recording(concierge_client, eloise, key)

    assert (first.status_code, second.status_code) == (201, 200), first.content
    note = VoiceNote.objects.get()
    assert note.capture_key == key
    assert stored_files(private_root) == [note.audio.name]


def test_two_captures_with_their_own_keys_are_two_notes(concierge_client, eloise):
    post_note(concierge_client, eloise, uuid.uuid4())
    post_note(concierge_client, eloise, uuid.uuid4())
    post_recording(concierge_client, eloise, uuid.uuid4())
    post_recording(concierge_client, eloise, uuid.uuid4())
    assert (Interaction.objects.count(), VoiceNote.objects.count()) == (2, 2)


def test_a_key_kept_for_one_client_is_refused_for_another(concierge_client, eloise, concierge):
    other = ClientFactory(primary_concierge=concierge)
    key = uuid.uuid4()
    post_note(concierge_client, eloise, key)
    post_recording(concierge_client, eloise, key)

    assert post_note(concierge_client, other, key).status_code == 400
    assert post_recording(concierge_client, other, key).status_code == 400
    assert list(Interaction.objects.values_list("client", flat=True)) == [eloise.pk]
    assert list(VoiceNote.objects.values_list("client", flat=True)) == [eloise.pk]


def test_someone_elses_client_is_a_404_and_nothing_is_kept(client, outsider, eloise):
    client.force_login(outsider)
    assert post_note(client, eloise, uuid.uuid4()).status_code == 404
    assert post_recording(client, eloise, uuid.uuid4()).status_code == 404
    assert not Interaction.objects.exists() and not VoiceNote.objects.exists()


def test_a_capture_is_dated_when_it_was_taken_not_when_it_arrived(concierge_client, eloise):
    taken = timezone.now() - datetime.timedelta(hours=3)
    post_note(concierge_client, eloise, uuid.uuid4(), taken_at=taken.isoformat())
    post_recording(concierge_client, eloise, uuid.uuid4(), taken_at=taken.isoformat())
    assert Interaction.objects.get().occurred_at == taken
    assert VoiceNote.objects.get().recorded_at == taken


def test_a_phone_clock_in_the_future_is_not_believed(concierge_client, eloise):
    post_note(
        concierge_client,
        eloise,
        uuid.uuid4(),
        taken_at=(timezone.now() + datetime.timedelta(days=2)).isoformat(),
    )
    assert Interaction.objects.get().occurred_at <= timezone.now()


def test_an_empty_note_is_refused_and_nothing_is_kept(concierge_client, eloise):
    response = post_note(concierge_client, eloise, uuid.uuid4(), summary="   ")
    assert response.status_code == 400
    assert "Write the note first." in response.json()["errors"]
    assert not Interaction.objects.exists()


def test_without_javascript_the_form_carries_a_key_and_a_double_submit_keeps_one(
    concierge_client, eloise
):
    page = concierge_client.get(reverse("clients:capture", args=[eloise.pk]))
    assert page.status_code == 200
    key = page.context["note_form"].initial["capture_key"]
    assert f'value="{key}"' in page.content.decode()
    url = reverse("clients:quick-note", args=[eloise.pk])
    for _ in range(2):
        response = concierge_client.post(url, {"summary": "Call back", "capture_key": key})
        assert response.status_code == 302
        assert response["Location"] == reverse("clients:capture", args=[eloise.pk])
    assert Interaction.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["note", "recording"])
def test_two_posts_of_the_same_capture_at_the_same_instant_keep_one(
    concierge, eloise, monkeypatch, private_root, kind
):
    """Both requests pass the "already kept?" look-up before either has written: the unique column
    decides, and the loser answers the winner's note."""
    if connection.vendor == "sqlite" and kind == "recording":
        pytest.skip("SQLite runs one writer at a time: the race is PostgreSQL's")
    key = uuid.uuid4()
    barrier = threading.Barrier(2, timeout=30)
    looked = threading.local()
    real_kept = clients.capture._kept

    def kept_after_both_looked(model, **kwargs):
        found = real_kept(model, **kwargs)
        if not getattr(looked, "once", False):
            looked.once = True
            barrier.wait()  # both threads have seen "not kept yet"
        return found

    monkeypatch.setattr(clients.capture, "_kept", kept_after_both_looked)
    answers = []

    def post():
        http = HttpClient()
        http.force_login(concierge)
        try:
            poster = post_note if kind == "note" else post_recording
            answers.append(poster(http, eloise, key).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(answers) == [200, 201]
    model = Interaction if kind == "note" else VoiceNote
    assert model.objects.filter(capture_key=key).count() == 1
    if kind == "recording":
        assert stored_files(private_root) == [VoiceNote.objects.get().audio.name]

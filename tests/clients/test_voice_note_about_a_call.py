"""A voice note about a call or meeting: recorded from its timeline entry, shown under it; only an
interaction of the same client, anything else refused with a message and nothing kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import VoiceNote
from tests.audio import tone
from tests.clients.conftest import stored_files
from tests.factories import ClientFactory, InteractionFactory

XHR = {"X-Requested-With": "XMLHttpRequest"}
pytestmark = pytest.mark.usefixtures("no_transcription")


@pytest.fixture
def eloise(concierge):
    return ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)


def record(http, client, **data):
    return http.post(
        reverse("clients:voice-upload", args=[client.pk]),
        {"audio": SimpleUploadedFile("n.ogg", tone("ogg", seconds=2.2)), "language": "en", **data},
        headers=XHR,
    )


def test_each_call_on_the_timeline_offers_a_voice_note_about_it(concierge_client, eloise):
    call = InteractionFactory(client=eloise, summary="Called about the ski week")
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    entry = page[page.index("Called about the ski week") :][:1500]
    assert f'data-recorder-open="note" data-recorder-interaction="{call.pk}"' in entry
    assert "Voice note about it" in entry
    # The recorder carries the interaction it was opened for.
    assert 'name="interaction" value="" data-recorder-interaction' in page


def test_a_note_about_a_call_is_shown_under_that_call(
    concierge_client, eloise, concierge, private_root
):
    call = InteractionFactory(client=eloise, summary="Called about the ski week")
    response = record(concierge_client, eloise, interaction=call.pk)

    assert response.status_code == 201, response.content
    note = VoiceNote.objects.get()
    assert (note.interaction, note.recorded_by) == (call, concierge)
    # Under the call, in its timeline entry (not an entry of its own), marked as just saved.
    fragment = response.content.decode()
    entry = fragment[fragment.index("Called about the ski week") :]
    entry = entry[: entry.index("</li>\n")]
    assert f'id="voice-note-{note.pk}" data-just-saved' in entry
    assert fragment.count(f'id="voice-note-{note.pk}"') == 1
    page = concierge_client.get(reverse("clients:detail", args=[eloise.pk])).content.decode()
    assert page.count(f'id="voice-note-{note.pk}"') == 1 and "data-just-saved" not in page


def test_a_call_of_another_client_is_refused_with_a_message_and_nothing_is_kept(
    concierge_client, eloise, concierge, private_root
):
    elsewhere = InteractionFactory(client=ClientFactory(primary_concierge=concierge))
    response = record(concierge_client, eloise, interaction=elsewhere.pk)

    assert response.status_code == 400
    assert response.content.decode() == (
        "This call or meeting is not on this client's timeline: nothing was saved."
    )
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []


def test_a_call_that_does_not_exist_gets_the_same_message(concierge_client, eloise, private_root):
    response = record(concierge_client, eloise, interaction=987654)
    assert response.status_code == 400 and "not on this client's timeline" in response.text
    assert not VoiceNote.objects.exists() and stored_files(private_root) == []

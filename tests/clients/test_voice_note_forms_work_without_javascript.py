"""A voice note's forms (delete, try again, edit the transcript) carry the CSRF token, so that they
work as plain posts without JavaScript: the note is included with `only`, which leaves out what the
context processors give, so the token is passed on by name."""

import pytest

from clients.models import VoiceNote
from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


def note_about(client, concierge):
    return VoiceNote.objects.create(
        client=client,
        audio="voice/n.ogg",
        mime_type="audio/ogg",
        duration=3,
        size=3,
        recorded_by=concierge,
    )


def form_posting_to(page: str, address: str) -> str:
    start = page.rindex("<form", 0, page.index(f'action="{address}"'))
    return page[start : page.index("</form>", start)]


def test_a_voice_notes_delete_form_carries_the_token(concierge_client, concierge):
    eloise = ClientFactory(primary_concierge=concierge)
    note = note_about(eloise, concierge)
    service_request = ServiceRequestFactory(client=eloise)
    service_request.voice_notes.add(note)
    delete = f"/clients/{eloise.pk}/voice/{note.pk}/delete/"

    for page in (f"/clients/{eloise.pk}/", f"/requests/{service_request.pk}/"):
        html = concierge_client.get(page).content.decode()
        assert 'name="csrfmiddlewaretoken"' in form_posting_to(html, delete), page

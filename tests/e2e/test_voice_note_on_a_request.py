"""On a phone, with a fake microphone: record a voice note on a request's page; it is listed there and
on the client's timeline (with a link to the request), with a duration, and it plays. Then a note
about a call, recorded from the call's timeline entry, lands under that call."""

import re

import pytest

from clients.demo.voice import chime_wav
from clients.models import VoiceNote
from requests.models import Status
from tests.e2e.conftest import no_horizontal_scroll, phone_with_a_microphone, sign_in, until
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(playwright, browser_type_launch_args, tmp_path):
    """Chromium whose microphone plays chimes, at the size of an iPhone 13 (390×844)."""
    wav = tmp_path / "chimes.wav"
    wav.write_bytes(chime_wav(seconds=8))
    with phone_with_a_microphone(playwright, browser_type_launch_args, wav) as page:
        yield page


def record(page, seconds: str = "0:03") -> None:
    recorder = page.locator("#recorder")
    recorder.get_by_role("button", name="Start recording").click()
    recorder.get_by_role("button", name="Stop").wait_for()
    until(lambda: page.locator("[data-recorder-timer]").inner_text() >= seconds, timeout=20)
    recorder.get_by_role("button", name="Stop").click()
    recorder.get_by_role("button", name="Save").click()


def plays(audio) -> None:
    until(
        lambda: audio.evaluate("a => a.readyState >= 1 && isFinite(a.duration) && a.duration > 1")
    )
    audio.evaluate("a => a.play()")
    until(lambda: audio.evaluate("a => a.currentTime > 0.3"))
    audio.evaluate("a => a.pause()")


def test_a_voice_note_recorded_on_a_request_is_on_the_request_and_on_the_timeline(
    phone, live_server, concierge, settings, screenshot_dir
):
    settings.TRANSCRIPTION_BACKEND = "none"  # the point here is the recording, not its words
    page = phone
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    dinner = ServiceRequestFactory(
        client=eloise, title="Table for four at Le Cinq", status=Status.IN_PROGRESS
    )
    call = InteractionFactory(client=eloise, by=concierge, summary="Called about the ski week")
    sign_in(page, live_server, concierge)

    page.goto(f"{live_server.url}/requests/{dinner.pk}/")
    page.locator("#request-voice").get_by_role("button", name="Voice note").click()
    assert "Table for four at Le Cinq" in page.locator("#recorder").inner_text()
    record(page)
    entry = page.locator("#request-voice .voice-note").first
    entry.wait_for()
    assert page.locator("#recorder").is_hidden()
    note = VoiceNote.objects.get()
    assert list(dinner.voice_notes.all()) == [note] and note.duration > 2
    assert re.fullmatch(r"0:0[2-9]", entry.locator(".voice-duration").inner_text())
    plays(entry.locator("audio"))
    entry.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "voice-note-on-a-request-phone.png")
    assert no_horizontal_scroll(page)

    # On the client's timeline, with the request it is about.
    page.goto(f"{live_server.url}/clients/{eloise.pk}/")
    on_timeline = page.locator(f"#timeline #voice-note-{note.pk}")
    assert re.fullmatch(r"0:0[2-9]", on_timeline.locator(".voice-duration").inner_text())
    link = on_timeline.locator(".voice-about a")
    assert link.inner_text() == "Table for four at Le Cinq"
    assert link.get_attribute("href") == f"/requests/{dinner.pk}/"
    plays(on_timeline.locator("audio"))

    # A note about the call, from the call's own entry: it lands under that call.
    page.locator("#timeline").get_by_role("button", name="Voice note about it").click()
    assert "Called about the ski week" not in page.locator("#recorder").inner_text()
    assert "Call" in page.locator("#recorder [data-recorder-about-line]").inner_text()
    record(page)
    under_call = page.locator("#timeline .entry-notes .voice-note")
    under_call.wait_for()
    about_call = VoiceNote.objects.exclude(pk=note.pk).get()
    assert about_call.interaction == call and not about_call.service_requests.exists()
    under_call.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "voice-note-about-a-call-phone.png")
    assert no_horizontal_scroll(page)

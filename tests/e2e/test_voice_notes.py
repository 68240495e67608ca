"""On a phone, with a fake microphone that speaks English: record a voice note on a client's profile,
see it on the timeline, play it, get its transcript, correct it, and find the client by a word said."""

import re

import pytest

from clients.models import VoiceNote
from tests.audio import speech_wav
from tests.conftest import wait_for
from tests.e2e.conftest import no_horizontal_scroll, phone_with_a_microphone, sign_in, until
from tests.factories import ClientFactory

pytestmark = pytest.mark.e2e
WORDS = ("lighthouse", "restaurant", "table", "thursday", "evening")


@pytest.fixture
def talking_phone(playwright, browser_type_launch_args, tmp_path):
    """Chromium whose microphone says a sentence (espeak-ng), at the size of an iPhone 13."""
    wav = speech_wav(tmp_path / "speech.wav")
    with phone_with_a_microphone(playwright, browser_type_launch_args, wav) as page:
        yield page


def test_record_play_transcribe_correct_and_find_by_a_word_said(
    talking_phone,
    live_server,
    concierge,
    private_root,
    celery_worker_process,
    settings,
    screenshot_dir,
):
    page = talking_phone
    settings.TRANSCRIPTION_QUEUE = celery_worker_process.queue
    celery_worker_process.env_extra["PRIVATE_ROOT"] = str(private_root)
    celery_worker_process.start()
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Hiroshi", last_name="Tanaka", primary_concierge=concierge)
    sign_in(page, live_server, concierge)
    page.goto(f"{live_server.url}/clients/{eloise.pk}/")

    page.locator("#header").get_by_role("button", name="Voice note").click()
    recorder = page.locator("#recorder")
    page.wait_for_timeout(800)
    page.screenshot(path=screenshot_dir / "voice-recorder-open-phone.png")
    recorder.get_by_role("button", name="Start recording").click()
    recorder.get_by_role("button", name="Stop").wait_for()
    until(lambda: page.locator("[data-recorder-timer]").inner_text() >= "0:06", timeout=15)
    assert (
        float(
            page.evaluate(
                "getComputedStyle(document.querySelector('[data-recorder-level]')).transform.split(',')[0]"
                ".replace('matrix(', '')"
            )
        )
        >= 0
    )  # the level meter is drawn
    page.screenshot(path=screenshot_dir / "voice-recording-phone.png")
    recorder.get_by_role("button", name="Stop").click()
    recorder.get_by_role("button", name="Save").click()

    entry = page.locator("#timeline .voice-note").first
    entry.wait_for()
    assert recorder.is_hidden()
    note = VoiceNote.objects.get()
    assert note.mime_type in ("audio/webm", "audio/mp4") and note.duration > 5
    duration = entry.locator(".voice-duration").inner_text()
    assert re.fullmatch(r"0:0[5-9]|0:1\d", duration), duration

    # It plays in place: metadata from the private URL (with ranges), then time moves on.
    audio = entry.locator("audio")
    until(
        lambda: audio.evaluate("a => a.readyState >= 1 && isFinite(a.duration) && a.duration > 5")
    )
    audio.evaluate("a => a.play()")
    until(lambda: audio.evaluate("a => a.currentTime > 0.3"))
    audio.evaluate("a => a.pause()")

    # The transcript arrives by itself (the entry polls while the worker transcribes).
    transcript = entry.locator(".transcript-text")
    transcript.wait_for(timeout=90_000)
    said = transcript.inner_text().lower()
    assert any(word in said for word in WORDS), said
    page.screenshot(path=screenshot_dir / "voice-note-phone.png", full_page=True)
    assert no_horizontal_scroll(page)

    # Correct it in place.
    entry.get_by_role("link", name="Correct").click()
    entry.locator("textarea[name=transcript]").fill(said + " Corner table, sea view.")
    entry.get_by_role("button", name="Save").click()
    entry.get_by_text("sea view").wait_for()
    assert wait_for(lambda: "sea view" in VoiceNote.objects.get().transcript)

    # Later: find the client by a word that was said.
    word = next(w for w in WORDS if w in said)
    page.goto(f"{live_server.url}/clients/?q={word}")
    results = page.locator("#results")
    results.get_by_text("Éloïse d'Harcourt").wait_for()
    assert results.get_by_text("Tanaka").count() == 0

"""On a phone with the network switched off: record a voice note and write a quick note; reload (the
offline page, no broken page); switch the network on: each arrives once. And an answer lost on the
way: the capture is sent again and still kept once."""

import pytest

from clients.models import Interaction, VoiceNote
from tests.conftest import wait_for
from tests.e2e.conftest import SMALL_PHONE, no_horizontal_scroll, sign_in_at, wait_for_worker

pytestmark = pytest.mark.e2e

CACHED_URLS_JS = """
async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({cache: name, url: new URL(request.url).pathname, body: await response.clone().text()});
    }
  }
  return found;
}
"""


@pytest.fixture
def phone_with_microphone(browser, live_server):
    context = browser.new_context(**SMALL_PHONE, permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield context, page
    context.close()


def outbox_count(page) -> str:
    box = page.locator(".topbar [data-outbox]")
    return "" if box.is_hidden() else box.locator("[data-outbox-count]").inner_text()


def test_captures_taken_offline_arrive_once_when_the_connection_returns(
    phone_with_microphone, live_server, concierge, field_world, settings, screenshot_dir
):
    settings.TRANSCRIPTION_BACKEND = "none"
    context, page = phone_with_microphone
    eloise = field_world["client"]
    notes_before = Interaction.objects.filter(channel="note").count()
    sign_in_at(page, live_server.url, concierge)

    # Record → the picker (today's client first) → the capture page.
    page.locator(".bottomnav").get_by_role("link", name="Record").click()
    page.wait_for_url("**/record/")
    page.get_by_role("link", name=eloise.display_name).first.click()
    page.wait_for_url(f"**/clients/{eloise.pk}/capture/")
    wait_for_worker(page)

    context.set_offline(True)
    recorder = page.locator("#recorder")
    recorder.get_by_role("button", name="Start recording").click()
    page.wait_for_function(
        "() => document.querySelector('[data-recorder-timer]').textContent >= '0:02'"
    )
    recorder.get_by_role("button", name="Stop").click()
    recorder.get_by_role("button", name="Save").click()
    page.get_by_text("the voice note is kept on this phone").wait_for()
    page.get_by_role("textbox", name="Quick note").fill("Prefers the corner table, never before 8.")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("the note is kept on this phone").wait_for()
    page.wait_for_function(
        "() => document.querySelector('.topbar [data-outbox-count]').textContent === '2'"
    )
    page.screenshot(path=screenshot_dir / "offline-waiting-phone.png")
    assert not VoiceNote.objects.filter(client=eloise, capture_key__isnull=False).exists()

    # Reloaded without a network: the offline page (no client data), which still shows the queue.
    page.reload()
    page.get_by_role("heading", name="No connection").wait_for()
    assert eloise.last_name not in page.content().split("<body")[0]
    page.wait_for_function("() => !document.querySelector('.topbar [data-outbox]').hidden")
    assert outbox_count(page) == "2"
    assert no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "offline-page-phone.png")

    # Back online: the offline page goes back to the capture page, which sends the outbox.
    context.set_offline(False)
    # The offline page keeps the capture page's address: wait for the capture page itself.
    page.locator("#recorder").wait_for(timeout=60_000)
    assert wait_for(
        lambda: (
            VoiceNote.objects.filter(client=eloise, capture_key__isnull=False).count() == 1
            and Interaction.objects.filter(channel="note").count() == notes_before + 1
        ),
        timeout=60,
    )
    page.wait_for_function("() => document.querySelector('.topbar [data-outbox]').hidden")

    # Reloaded again, and once more: nothing is sent twice.
    page.reload()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/agenda/")
    page.wait_for_load_state("networkidle")
    assert VoiceNote.objects.filter(client=eloise, capture_key__isnull=False).count() == 1
    assert Interaction.objects.filter(channel="note").count() == notes_before + 1
    note = Interaction.objects.filter(channel="note").latest("pk")
    assert (note.client, note.by, note.summary) == (
        eloise,
        concierge,
        "Prefers the corner table, never before 8.",
    )
    voice = VoiceNote.objects.get(client=eloise, capture_key__isnull=False)
    assert voice.duration >= 1.5 and voice.recorded_by == concierge

    # The worker kept the shell and the offline page, never a page with client data.
    cached = page.evaluate(CACHED_URLS_JS)
    assert cached, "the service worker kept nothing"
    for entry in cached:
        assert entry["url"].startswith("/static/") or entry["url"] == "/offline/", entry["url"]
        assert eloise.last_name not in entry["body"]


def test_an_answer_lost_on_the_way_sends_again_and_keeps_one(
    browser, live_server, concierge, field_world
):
    """The server kept the note but its answer never reached the phone (the signal dropped): the
    outbox sends it again, after a reload too, and the server answers the note it kept."""
    context = browser.new_context(**SMALL_PHONE, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(30_000)
    eloise = field_world["client"]
    sign_in_at(page, live_server.url, concierge)
    posts = []

    def lose_the_first_answer(route):
        posts.append(route.request.url)
        response = route.fetch()  # the server does its work…
        if len(posts) == 1:
            route.abort("internetdisconnected")  # …and the answer is lost
        else:
            route.fulfill(response=response)

    page.route("**/notes/new/", lose_the_first_answer)
    page.goto(f"{live_server.url}/clients/{eloise.pk}/capture/")
    page.get_by_role("textbox", name="Quick note").fill("Allergic to lilies too")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("the note is kept on this phone").wait_for()
    assert Interaction.objects.filter(summary="Allergic to lilies too").count() == 1
    page.reload()  # on load, the outbox sends what waits
    # The outbox is hidden in the page as served, before its script has read what waits: wait for
    # the second post itself, then for the outbox to be emptied.
    for _ in range(300):
        if len(posts) >= 2:
            break
        page.wait_for_timeout(100)
    page.wait_for_function("() => document.querySelector('.topbar [data-outbox]').hidden")
    context.close()
    assert len(posts) == 2
    assert Interaction.objects.filter(summary="Allergic to lilies too").count() == 1

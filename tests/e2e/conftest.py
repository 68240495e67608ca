import contextlib
import time

import pytest

from tests.conftest import PASSWORD

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")


@contextlib.contextmanager
def phone_with_a_microphone(playwright, launch_args, wav):
    """Chromium at the size of an iPhone 13 whose fake microphone plays `wav`; yields its page."""
    args = [
        *launch_args["args"],
        f"--use-file-for-fake-audio-capture={wav}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    browser = playwright.chromium.launch(**{**launch_args, "args": args})
    context = browser.new_context(**playwright.devices["iPhone 13"], permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()
        browser.close()


def until(condition, timeout: float = 30) -> None:
    """Poll from Python: Playwright's wait_for_function evaluates a string, which our CSP forbids."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# --- In the field (issue 13): phone size, a world with one of everything, the key pages ------------
SMALL_PHONE = {
    "viewport": {"width": 375, "height": 667},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture
def field_world(concierge, settings, tmp_path):
    """A concierge's day with one of everything a key page shows."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from clients.models import AnticipatedNeed, Preference, VoiceNote
    from concierge.reminders.models import Notification
    from concierge.reminders.services import reminder_create
    from requests.models import ChecklistItem, VendorUse
    from tests.factories import (
        ClientFactory,
        ContactPointFactory,
        ImportantDateFactory,
        InteractionFactory,
        PreferenceFactory,
        RelationFactory,
        ServiceRequestFactory,
        VendorFactory,
    )

    eloise = ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt-Villeneuve",
        form_of_address="Madame la Présidente",
        pronunciation="ay-lo-EEZ dar-KOOR",
        primary_concierge=concierge,
    )
    other = ClientFactory(first_name="Hiroshi", last_name="Tanaka", primary_concierge=concierge)
    ContactPointFactory(client=eloise)
    RelationFactory(client=eloise)
    ImportantDateFactory(client=eloise)
    PreferenceFactory(client=eloise, kind=Preference.Kind.ALLERGY, detail="Shellfish")
    PreferenceFactory(client=eloise, kind=Preference.Kind.LIKE, detail="Peonies, white")
    InteractionFactory(client=eloise, by=concierge, summary="Booked the table at the Meurice")
    InteractionFactory(client=other, by=concierge, summary="Called about the ski week")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "clients.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    note = VoiceNote(
        client=eloise,
        mime_type="audio/wav",
        duration=4,
        size=4,
        recorded_by=concierge,
        transcript="Prefers the corner table, never before eight.",
        transcript_status=VoiceNote.TranscriptStatus.DONE,
    )
    note.audio.save("note.wav", ContentFile(b"RIFF"), save=True)
    AnticipatedNeed.objects.create(
        client=eloise, title="Ski week", next_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    service_request = ServiceRequestFactory(
        client=eloise, assignee=concierge, title="Dinner for six at the Meurice"
    )
    service_request.voice_notes.add(note)  # the note says which request it is about
    ChecklistItem.objects.create(service_request=service_request, text="Call the chef")
    VendorUse.objects.create(service_request=service_request, vendor=VendorFactory())
    reminder = reminder_create(
        owner=concierge,
        by=concierge,
        title="Call about the anniversary",
        due_at=timezone.now() + datetime.timedelta(minutes=30),
        client=eloise,
    )
    Notification.objects.create(user=concierge, reminder=reminder)
    return {"client": eloise, "other": other, "request": service_request}


def key_pages(world) -> dict[str, str]:
    """The screens a concierge uses on a phone, by name."""
    client, service_request = world["client"], world["request"]
    return {
        "agenda": "/agenda/",
        "client-list": "/clients/",
        "client-profile": f"/clients/{client.pk}/",
        "request-list": "/requests/",
        "request-board": "/requests/?view=board",
        "request-detail": f"/requests/{service_request.pk}/",
        "request-new": f"/requests/new/?client={client.pk}",
        "client-new": "/clients/new/",
        "notifications": "/notifications/",
        "record-picker": "/record/",
        "capture": f"/clients/{client.pk}/capture/",
    }


# Every visible control a thumb may aim at, with the box it offers (a visually hidden radio or
# checkbox offers its label). Controls of 0×0 (hidden, in a closed <details>) are skipped.
SMALL_CONTROLS_JS = """
() => {
  const found = [];
  const seen = new Set();
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, label";
  for (const el of document.querySelectorAll(selector)) {
    let target = el;
    if (el.tagName === "LABEL") {
      if (!el.querySelector("input, select, textarea")) continue;
    } else if (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") {
      const label = el.closest("label");
      if (label) continue;  // measured as its label
      const box = el.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1 && el.labels && el.labels[0]) target = el.labels[0];
    }
    // A stretched link (its ::after covers the card) offers the whole card.
    const after = el.tagName === "A" ? getComputedStyle(el, "::after") : null;
    if (after && after.position === "absolute" && after.content !== "none" && el.offsetParent) target = el.offsetParent;
    const closed = el.closest("details:not([open])");
    if (closed && !(closed.querySelector(":scope > summary") || document.body).contains(el)) continue;
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(target);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const r = target.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.width <= 1 && r.height <= 1) continue;  // visually hidden, reached by its label
    if (r.width < 44 || r.height < 44) {
      const text = (target.getAttribute("aria-label") || target.textContent || target.name || "").trim().replace(/\\s+/g, " ");
      found.push(`${target.tagName.toLowerCase()}${target.className ? "." + String(target.className).split(" ").join(".") : ""} "${text.slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return found;
}
"""


def small_controls(page) -> list[str]:
    return page.evaluate(SMALL_CONTROLS_JS)


def sign_in_at(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/agenda/")


WORKER_STATE_JS = """
async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "no registration";
  const worker = registration.installing || registration.waiting || registration.active;
  return JSON.stringify({
    installing: !!registration.installing, waiting: !!registration.waiting,
    active: !!registration.active, state: worker && worker.state,
    controller: !!navigator.serviceWorker.controller,
  });
}
"""


def wait_for_worker(page, timeout=60_000):
    """Until the service worker controls the page (it registers on load, then keeps the shell)."""
    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"no service worker: {page.evaluate(WORKER_STATE_JS)}") from exc

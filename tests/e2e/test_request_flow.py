"""On a phone: a request from first call to closed feedback, and it shows on the client's timeline."""

import pytest

from requests.models import Feedback, ServiceRequest
from tests.e2e.conftest import no_horizontal_scroll, sign_in
from tests.factories import ClientFactory, PreferenceFactory

pytestmark = pytest.mark.e2e


def test_create_a_request_from_a_client_fulfil_it_and_record_feedback(
    phone, live_server, concierge, screenshot_dir
):
    eloise = ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        primary_concierge=concierge,
    )
    PreferenceFactory(client=eloise, kind="allergy", detail="Shellfish", severity="critical")
    sign_in(phone, live_server, concierge)

    phone.goto(f"{live_server.url}/clients/{eloise.pk}/")
    phone.get_by_role("link", name="+ Request").click()
    phone.fill("input[name=title]", "Table for four at Le Cinq")
    phone.fill("input[name='details-party_size']", "4")
    phone.get_by_role("button", name="Create the request").click()
    phone.wait_for_url(f"{live_server.url}/requests/*/")
    assert phone.locator(".constraints").get_by_text("Shellfish").is_visible()

    for step, next_step in (
        ("acknowledged", "in_progress"),
        ("in_progress", "fulfilled"),
        ("fulfilled", None),
    ):
        phone.click(f"button[data-step={step}]")
        phone.wait_for_selector(f"button[data-step={next_step}]" if next_step else ".score-picker")
    phone.locator(".score-picker label", has_text="9").first.click()
    phone.fill("textarea[name=words]", "Parfait, comme toujours")
    phone.get_by_role("button", name="Record feedback").click()
    phone.locator(".feedback .score").wait_for()
    phone.click("button[data-step=closed]")
    phone.locator(".status-closed").wait_for()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(screenshot_dir / "request-closed-phone.png"), full_page=True)

    service_request = ServiceRequest.objects.get()
    assert service_request.status == "closed"
    assert Feedback.objects.get(service_request=service_request).score == 9

    phone.goto(f"{live_server.url}/clients/{eloise.pk}/")
    timeline = phone.locator("#timeline")
    assert timeline.get_by_text("Table for four at Le Cinq · Closed").is_visible()
    assert timeline.get_by_text("Table for four at Le Cinq · Feedback 9/10").is_visible()
    phone.screenshot(path=str(screenshot_dir / "request-on-timeline-phone.png"), full_page=True)

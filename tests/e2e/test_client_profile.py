"""On a phone: find a client by search, add a preference and an allergy, log a call."""

import pytest

from clients.models import Interaction, Preference
from tests.e2e.conftest import no_horizontal_scroll, sign_in
from tests.factories import ClientFactory

pytestmark = pytest.mark.e2e


def test_find_a_client_keep_the_profile_up_to_date_and_log_a_call(
    phone, live_server, concierge, screenshot_dir
):
    eloise = ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        primary_concierge=concierge,
    )
    ClientFactory(first_name="Hiroshi", last_name="Tanaka", primary_concierge=concierge)
    sign_in(phone, live_server, concierge)

    phone.goto(f"{live_server.url}/clients/")
    phone.fill("input[name=q]", "harcourt")
    phone.wait_for_url("**/clients/?q=harcourt")
    results = phone.locator("#results")
    assert results.get_by_text("Tanaka").count() == 0
    results.get_by_text("Éloïse d'Harcourt").click()
    phone.wait_for_url(f"{live_server.url}/clients/{eloise.pk}/")
    assert phone.get_by_text("Madame la Présidente").is_visible()
    assert phone.locator(".constraints").count() == 0

    preferences = phone.locator("#section-preferences")
    preferences.get_by_role("link", name="+ Add").click()
    preferences.locator("select[name=kind]").select_option("like")
    preferences.locator("input[name=detail]").fill("Krug Clos du Mesnil")
    preferences.get_by_role("button", name="Save").click()
    phone.locator("#section-preferences").get_by_text("Krug Clos du Mesnil").wait_for()

    phone.locator("#section-preferences").get_by_role("link", name="+ Add").click()
    form = phone.locator("#section-preferences form")
    form.locator("select[name=kind]").select_option("allergy")
    form.locator("input[name=detail]").fill("Peanuts")
    form.locator("select[name=severity]").select_option("critical")
    form.get_by_role("button", name="Save").click()
    banner = phone.locator(".constraints")
    banner.wait_for()
    assert banner.get_by_text("Peanuts").is_visible()

    timeline = phone.locator("#timeline")
    timeline.get_by_role("button", name="Call").click()
    timeline.locator("[data-log-save]").click()  # the second tap
    phone.locator("#timeline .entry").first.wait_for()
    assert phone.locator("#timeline .entry-title").first.inner_text().startswith("Call")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(screenshot_dir / "client-profile-phone.png"), full_page=True)

    assert set(Preference.objects.filter(client=eloise).values_list("kind", flat=True)) == {
        "like",
        "allergy",
    }
    call = Interaction.objects.get(client=eloise)
    assert (call.channel, call.by) == ("call", concierge)

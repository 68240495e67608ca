"""The key pages run under the strict Content-Security-Policy with no violation (issue 16)."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory, VendorFactory

pytestmark = pytest.mark.e2e


def _watch(page):
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    # The browser also reports each violation as an event in the page.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
        "e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
    )
    return violations


def test_the_key_pages_load_with_no_csp_violation(browser, live_server, concierge, manager):
    record = ClientFactory(primary_concierge=concierge, first_name="Éloïse", last_name="Harcourt")
    InteractionFactory(client=record)
    service_request = ServiceRequestFactory(client=record)
    VendorFactory()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = _watch(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    for path in [
        "/agenda/",
        "/clients/",
        f"/clients/{record.pk}/",
        "/requests/",
        "/requests/?view=board",
        f"/requests/{service_request.pk}/",
        "/requests/vendors/",
        "/notifications/",
        "/me/two-step/",
        f"/requests/new/?client={record.pk}",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # htmx at work under the policy: the search swaps results in place.
    page.goto(f"{live_server.url}/clients/")
    page.fill("input[name=q]", "harcourt")
    page.wait_for_selector("text=Harcourt")
    # The page with a QR code (an image from a data: URI) and the admin are no exception.
    page.goto(f"{live_server.url}/me/two-step/")
    assert page.locator("img.otp-qr").evaluate("img => img.naturalWidth") > 0
    assert violations == [], violations
    context.close()


def test_the_two_step_sign_in_in_a_browser(browser, live_server, manager, settings):
    settings.OTP_REQUIRED_FOR_MANAGERS = True
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    context = browser.new_context()
    page = context.new_page()
    violations = _watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/code/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=code]", f"{totp.token():06d}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    assert violations == [], violations
    context.close()


def test_the_manager_capture_import_and_merge_pages_load_with_no_csp_violation(
    browser, live_server, concierge, manager, settings
):
    """The rest of the key pages: the manager's side, the phone's capture pages (microphone),
    import, merge, history, reminders, calendar; each under the policy, with no violation."""
    settings.OTP_REQUIRED_FOR_MANAGERS = False
    record = ClientFactory(primary_concierge=concierge, first_name="Éloïse", last_name="Harcourt")
    other = ClientFactory(primary_concierge=concierge, first_name="Eloise", last_name="Harcourt")
    InteractionFactory(client=record)
    context = browser.new_context(permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = _watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    for path in [
        "/team/",
        "/team/policies/",
        "/team/absences/",
        "/team/sign-in/",
        f"/team/members/{concierge.pk}/access/",
        f"/clients/{record.pk}/assign/",
        f"/clients/{record.pk}/access/",
        f"/clients/{record.pk}/handover/",
        f"/clients/{record.pk}/capture/",
        "/record/",
        "/clients/import/",
        f"/clients/{record.pk}/merge/",
        f"/clients/{record.pk}/merge/?other={other.pk}",
        f"/clients/{record.pk}/history/",
        f"/clients/{record.pk}/erase/",
        "/clients/new/",
        "/agenda/reminders/new/?where=agenda",
        "/me/calendar/",
        "/requests/satisfaction/",
        "/offline/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    # Signing out empties the browser's caches under the same policy.
    page.goto(f"{live_server.url}/agenda/")
    page.locator("form[action='/accounts/logout/'] button").first.click()
    page.wait_for_url("**/accounts/**")
    page.wait_for_load_state("networkidle")
    assert violations == [], violations
    context.close()


def test_the_browser_allows_the_microphone_to_our_origin_only(browser, live_server, concierge):
    """Read from the browser's own policy, on the page that records: the microphone for this
    origin and nobody else (an embedded frame from another site), and no camera or location."""
    record = ClientFactory(primary_concierge=concierge)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    page.goto(f"{live_server.url}/clients/{record.pk}/capture/")
    policy = page.evaluate(
        """() => ({
            origin: location.origin,
            microphone: document.featurePolicy.getAllowlistForFeature('microphone'),
            elsewhere: document.featurePolicy.allowsFeature('microphone', 'https://evil.example'),
            camera: document.featurePolicy.allowsFeature('camera'),
            geolocation: document.featurePolicy.allowsFeature('geolocation'),
        })"""
    )
    assert policy["microphone"] == [policy["origin"]], policy
    assert policy["elsewhere"] is False and policy["camera"] is False, policy
    assert policy["geolocation"] is False, policy
    context.close()

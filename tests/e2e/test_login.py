"""Signing in, in a real browser, at phone and desktop sizes."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


@pytest.mark.parametrize("size", SIZES)
def test_sign_in_without_horizontal_scroll(browser, live_server, concierge, screenshot_dir, size):
    context = browser.new_context(**SIZES[size])
    page = context.new_page()
    page.goto(f"{live_server.url}/clients/")
    assert "/accounts/login/" in page.url

    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/")

    nav = page.locator(".bottomnav" if size == "phone" else ".sidenav")
    assert nav.is_visible()
    assert nav.get_by_text("Requests").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / f"login-{size}.png"), full_page=True)
    context.close()

"""Every key page at 375×667 (the smallest phone still common): no horizontal scroll, and no control
a thumb aims at smaller than 44×44 px (WCAG 2.5.5), in English and in French."""

import pytest

from tests.e2e.conftest import (
    SMALL_PHONE,
    key_pages,
    no_horizontal_scroll,
    sign_in_at,
    small_controls,
)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_key_page_fits_a_small_phone_with_big_enough_controls(
    browser, live_server, concierge, field_world, language, screenshot_dir
):
    concierge.language = language
    concierge.save()
    context = browser.new_context(**SMALL_PHONE, locale=language)
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in_at(page, live_server.url, concierge)
    problems = {}
    for name, path in key_pages(field_world).items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        page.screenshot(path=screenshot_dir / f"phone-{language}-{name}.png", full_page=True)
        found = small_controls(page)
        if not no_horizontal_scroll(page):
            found.append("horizontal scroll")
        if found:
            problems[name] = found
    context.close()
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())

"""axe-core (vendored from npm: tests/e2e/vendor/axe.min.js, 4.14.1) on the key pages, at phone and
desktop sizes, in English and French: no serious or critical violation of WCAG 2.1 A/AA (labels,
names, contrast, structure). Run with the page's CSP bypassed, only so that axe can be injected."""

from pathlib import Path

import pytest

from tests.e2e.conftest import SMALL_PHONE, key_pages, sign_in_at

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN_AXE_JS = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")}`);
}
"""


@pytest.mark.parametrize(
    ("size", "language"), [("phone", "en"), ("phone", "fr"), ("desktop", "en"), ("desktop", "fr")]
)
def test_no_serious_accessibility_violation_on_the_key_pages(
    browser, live_server, concierge, field_world, size, language, screenshot_dir
):
    concierge.language = language
    concierge.save()
    options = SMALL_PHONE if size == "phone" else {"viewport": {"width": 1280, "height": 800}}
    context = browser.new_context(**options, locale=language, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in_at(page, live_server.url, concierge)
    pages = {**key_pages(field_world), "offline": "/offline/"}
    problems = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if size == "desktop":
            page.screenshot(path=screenshot_dir / f"desktop-{language}-{name}.png")
        page.add_script_tag(content=AXE.read_text())
        found = page.evaluate(RUN_AXE_JS)
        if found:
            problems[name] = found
    context.close()
    assert not problems, "\n".join(f"{name}: {found}" for name, found in problems.items())

"""Every menu and popover of a client's profile lies fully on screen, on a phone and on a desktop,
in English and in French (whose words are longer); toasts never cover the allergy banner."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import no_horizontal_scroll
from tests.factories import ClientFactory, ContactPointFactory, PreferenceFactory

pytestmark = pytest.mark.e2e

SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
LANGUAGES = {"en": "en-GB", "fr": "fr-FR"}
MARGIN = 1  # a pixel of rounding


@pytest.fixture
def eloise(concierge):
    client = ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt-Villeneuve",
        form_of_address="Madame la Présidente",
        tier="private",
        primary_concierge=concierge,
    )
    ContactPointFactory(
        client=client, kind="email", value="eloise.dharcourt-villeneuve@maison-harcourt.example"
    )
    PreferenceFactory(client=client, kind="allergy", detail="Peanuts", severity="critical")
    return client


def _open_profile(browser, live_server, concierge, eloise, size, language):
    context = browser.new_context(**SIZES[size], locale=LANGUAGES[language])
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    page.goto(f"{live_server.url}/clients/{eloise.pk}/")
    assert page.locator("html").get_attribute("lang") == language
    return context, page


def _menus(page):
    """The profile's menus and popovers that a person can open at this size."""
    return [
        details
        for details in page.locator("details:has(> .popover)").all()
        if details.locator("> summary").is_visible()
    ]


def _off_screen(page, box) -> list[str]:
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    bottom = height
    nav = page.locator(".bottomnav")
    if nav.is_visible():
        bottom = nav.bounding_box()["y"]  # covered by the fixed navigation bar
    problems = []
    if box["x"] < -MARGIN:
        problems.append(f"left {box['x']:.0f}")
    if box["x"] + box["width"] > width + MARGIN:
        problems.append(f"right {box['x'] + box['width']:.0f} > {width}")
    if box["y"] < -MARGIN:
        problems.append(f"top {box['y']:.0f}")
    if box["y"] + box["height"] > bottom + MARGIN:
        problems.append(f"bottom {box['y'] + box['height']:.0f} > {bottom:.0f}")
    return problems


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_menu_of_the_profile_lies_on_screen(
    browser, live_server, concierge, eloise, screenshot_dir, size, language
):
    context, page = _open_profile(browser, live_server, concierge, eloise, size, language)
    menus = _menus(page)
    names = [m.get_attribute("class") for m in menus]
    assert any("more-menu" in n for n in names) and any("remind-me" in n for n in names), names
    if size == "phone":
        assert any("user-menu-mobile" in n for n in names), names
    for index, details in enumerate(menus):
        details.locator("> summary").click()
        popover = details.locator("> .popover")
        popover.wait_for(state="visible")
        page.wait_for_load_state("networkidle")  # the reminder form loads into its popover
        page.wait_for_timeout(150)
        box = popover.bounding_box()
        kind = names[index].split()[0]
        page.screenshot(path=str(screenshot_dir / f"profile-menu-{kind}-{size}-{language}.png"))
        assert not _off_screen(page, box), (
            f"{kind} at {size} in {language}: {_off_screen(page, box)}"
        )
        # Every item is readable in full: nothing is clipped inside the menu.
        assert popover.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), kind
        details.locator("> summary").click()  # close it again
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"profile-{size}-{language}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_toast_never_covers_the_allergy_banner(browser, live_server, concierge, eloise, size):
    eloise.notes = "\n".join(f"Line {n} of what the team must know." for n in range(40))
    eloise.save()
    PreferenceFactory(
        client=eloise,
        detail="Krug Clos du Mesnil",
        last_confirmed_at=timezone.now() - datetime.timedelta(days=800),
    )
    context, page = _open_profile(browser, live_server, concierge, eloise, size, "en")
    banner = page.locator(".constraints")
    # The banner sits at the bottom of the screen, where toasts appear…
    lift = 90 if size == "phone" else 40
    page.evaluate(
        "lift => { const b = document.querySelector('.constraints').getBoundingClientRect();"
        " window.scrollBy(0, b.bottom - window.innerHeight + lift); }",
        lift,
    )
    assert page.evaluate("window.scrollY") > 0
    # …when a save below it shows a toast (clicked in place: no scrolling).
    page.evaluate(
        "() => [...document.querySelectorAll('#section-preferences button')]"
        ".find(b => b.textContent.includes('Still true')).click()"
    )
    toast = page.locator("#toasts .toast").first
    toast.wait_for()
    page.wait_for_timeout(300)
    t, b = toast.bounding_box(), banner.bounding_box()
    overlap = (
        t["x"] < b["x"] + b["width"]
        and b["x"] < t["x"] + t["width"]
        and t["y"] < b["y"] + b["height"]
        and b["y"] < t["y"] + t["height"]
    )
    assert not overlap, (t, b)
    context.close()

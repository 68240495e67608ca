"""A manager's "Your team today" in French, on a phone and on a desk: a teammate past the cap reads
"99+ en retard", the badges fit beside the names, and nothing scrolls sideways."""

import datetime

import pytest
from django.utils import timezone

from concierge.models import Reminder
from tests.e2e.conftest import no_horizontal_scroll, sign_in
from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.e2e

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def prompts(owner, n, due_at):
    Reminder.objects.bulk_create(
        Reminder(
            owner=owner,
            note=f"Prompt {i}",
            due_at=due_at + datetime.timedelta(minutes=i),
            dedupe_key=f"e2e:{owner.pk}:{due_at.isoformat()}:{i}",
        )
        for i in range(n)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_team_section_in_french(
    browser, live_server, screenshot_dir, manager, concierge, colleague, size
):
    now = timezone.now()
    prompts(concierge, 150, now - datetime.timedelta(hours=30))
    prompts(colleague, 4, now - datetime.timedelta(hours=2))
    client = ClientFactory(primary_concierge=concierge)
    for i in range(120):
        ServiceRequestFactory(
            client=client, title=f"Late {i}", due_at=now - datetime.timedelta(hours=i + 1)
        )

    context = browser.new_context(
        viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone", locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, manager)
    section = page.locator("section.agenda-team")
    section.scroll_into_view_if_needed()
    rows = section.locator("li.row")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "Camille Laurent" in first and "99+ en retard" in first
    assert "99+ demandes en retard" in first
    assert "Julien" in second and "4 en retard" in second
    assert "Votre équipe aujourd’hui" in section.inner_text()
    assert no_horizontal_scroll(page)
    section.screenshot(path=str(screenshot_dir / f"agenda-team-fr-{size}.png"))
    page.screenshot(path=str(screenshot_dir / f"agenda-team-fr-{size}-page.png"), full_page=True)
    context.close()

"""A manager rebalances the team in a real browser: ticks three clients on the list, reassigns them
in one go; the new concierge sees them and the handover notification. Screenshots of the dashboard
and the bulk assignment, on a phone and on a laptop, go to test-artifacts/."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Client
from requests.models import Feedback
from tests.e2e.conftest import PHONE, no_horizontal_scroll, sign_in
from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.e2e
LAPTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def portfolio(concierge, colleague):
    names = [("Éloïse", "d'Harcourt"), ("Charles", "Duval"), ("Inès", "Fabre"), ("Paul", "Girard")]
    clients = [
        ClientFactory(first_name=first, last_name=last, primary_concierge=concierge, tier=tier)
        for (first, last), tier in zip(
            names, ["private", "premium", "essential", "premium"], strict=True
        )
    ]
    now = timezone.now()
    for i, client in enumerate(clients * 3):
        sr = ServiceRequestFactory(client=client, assignee=client.primary_concierge)
        sr.created_at = now - datetime.timedelta(days=7 * i + 1)
        sr.acknowledged_at = sr.created_at + datetime.timedelta(minutes=15 + 10 * i)
        sr.status = "fulfilled"
        sr.save()
        Feedback.objects.create(
            service_request=sr, score=[10, 9, 7, 4][i % 4], recorded_at=sr.created_at
        )
    ClientFactory(first_name="Zoé", last_name="Martin", primary_concierge=colleague)
    return clients


def test_a_manager_reassigns_three_clients_and_the_new_concierge_sees_them(
    browser, live_server, manager, concierge, colleague, portfolio, screenshot_dir
):
    for name, size in (("phone", PHONE), ("laptop", LAPTOP)):
        context = browser.new_context(**size)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, manager)
        page.goto(f"{live_server.url}/team/")
        page.get_by_text("The team at a glance").wait_for()
        assert page.locator(".team-row").count() == 2
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"team-dashboard-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/clients/")
        for client in portfolio[:3]:
            page.check(f"input[name=clients][value='{client.pk}']")
        page.select_option("#bulk-assign select[name=concierge]", str(colleague.pk))
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"bulk-assign-{name}.png"), full_page=True)
        if name == "phone":
            context.close()
            continue
        page.click("#bulk-assign button[value=assign]")
        page.get_by_text("3 clients are now looked after by Julien").wait_for()
        context.close()

    moved = set(Client.objects.filter(primary_concierge=colleague).values_list("pk", flat=True))
    assert {c.pk for c in portfolio[:3]} <= moved

    context = browser.new_context(**LAPTOP)
    page = context.new_page()
    sign_in(page, live_server, colleague)
    page.goto(f"{live_server.url}/clients/")
    for client in portfolio[:3]:
        page.get_by_role("link", name=client.display_name).wait_for()
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_text("You now look after Éloïse d'Harcourt").click()
    page.wait_for_url(f"**/clients/{portfolio[0].pk}/handover/")
    page.get_by_text("Handover brief").first.wait_for()
    page.screenshot(path=str(screenshot_dir / "handover-brief.png"), full_page=True)
    context.close()

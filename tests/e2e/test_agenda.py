"""The agenda on a phone: see what is due, snooze it an hour, mark it done, all in place."""

import datetime

import pytest
from django.utils import timezone

from concierge.models import Notification, Reminder
from concierge.reminders.services import reminder_create
from tests.conftest import PASSWORD
from tests.factories import ClientFactory

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_snooze_then_done_on_a_phone(browser, live_server, concierge, screenshot_dir):
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    now = timezone.now()
    flowers = reminder_create(
        owner=concierge,
        by=concierge,
        title="Send peonies to Madame d'Harcourt",
        due_at=now - datetime.timedelta(hours=2),
        client=eloise,
    )
    call = reminder_create(
        owner=concierge,
        by=concierge,
        title="Call about the ski trip",
        due_at=now - datetime.timedelta(hours=3),
        client=eloise,
    )
    Notification.objects.create(user=concierge, reminder=call)

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/agenda/")
    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")

    overdue = page.locator("[data-list=overdue]")
    row = overdue.locator(f"#reminder-{flowers.pk}")
    assert row.is_visible()
    assert row.get_by_text("Éloïse d'Harcourt").is_visible()
    page.locator("#bell-count-top").filter(has_text="1").wait_for()  # the bell, in the topbar

    row.locator("[data-action=snooze]").click()
    row.get_by_role("button", name="In 1 hour").click()

    page.get_by_text("Snoozed until").wait_for()
    assert overdue.locator(f"#reminder-{flowers.pk}").count() == 0
    # Later today, or in the week ahead when the hour crosses midnight.
    moved = page.locator(
        f"[data-list=today] #reminder-{flowers.pk}, [data-list=coming] #reminder-{flowers.pk}"
    )
    assert moved.count() == 1
    flowers.refresh_from_db()
    assert flowers.state == Reminder.State.SNOOZED

    page.locator(f"#reminder-{call.pk} [data-action=done]").click()
    page.get_by_text("Done: Call about the ski trip").wait_for()
    assert page.locator(f"#reminder-{call.pk}").count() == 0
    call.refresh_from_db()
    assert call.state == Reminder.State.DONE

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "agenda-phone.png"), full_page=True)
    context.close()


def test_set_a_reminder_from_a_client_page_on_a_phone(
    browser, live_server, concierge, screenshot_dir
):
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/clients/{eloise.pk}/")
    page.fill("input[name=username]", concierge.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/{eloise.pk}/")

    page.locator(".remind-me summary").click()
    form = page.locator(".remind-me form.reminder-form")
    form.wait_for()
    form.locator("input[name=title]").fill("Ask how the ski trip went")
    form.get_by_text("Tomorrow 10:00").click()
    form.get_by_role("button", name="Set reminder").click()
    page.locator(".reminder-set").wait_for()

    reminder = Reminder.objects.get(note="Ask how the ski trip went")
    assert reminder.client == eloise and reminder.owner == concierge
    local = timezone.localtime(reminder.due_at, concierge.tzinfo)
    assert (local.hour, local.minute) == (10, 0)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(screenshot_dir / "client-reminder-phone.png"), full_page=False)
    context.close()

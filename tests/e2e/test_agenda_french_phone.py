"""Tried as a new French-speaking user would: the demo, the first sweep and delivery, then the
agenda on an iPhone 13 in French: a handful of prompts, each once, and no English reminder text."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from concierge.models import Notification, User
from concierge.reminders import tasks

pytestmark = pytest.mark.e2e

# English words of reminder texts (titles, details, kinds, actions): none may show in French.
ENGLISH = [
    "Birthday of",
    "is due",
    "is overdue",
    "Time to plan",
    "to catch up on",
    "already late when",
    "Acknowledge",
    "no contact for",
    "Snooze",
    "Dismiss",
    "Overdue",
    "Later today",
    "Show all",
]


@pytest.mark.django_db(transaction=True)
def test_the_agenda_in_french_on_a_phone_after_the_first_sweep(
    browser, playwright, live_server, screenshot_dir, mailoutbox
):
    call_command("seed_demo", stdout=io.StringIO())
    tasks.sweep_reminders_task()
    tasks.sweep_contact_cadence_task()
    tasks.deliver_due_reminders_task()
    camille = User.objects.get(username="camille")
    assert camille.language == ""  # the browser will say

    context = browser.new_context(**playwright.devices["iPhone 13"], locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "concierge-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agenda/")
    camille.refresh_from_db()
    assert camille.language == "fr"

    reminders = page.locator("#agenda-reminders")
    text = reminders.inner_text()
    typed_by_people = [
        row.inner_text()
        for row in page.locator(
            "#agenda-reminders li.agenda-item:has(.kind-manual) .agenda-title"
        ).all()
    ]
    for words in typed_by_people:
        text = text.replace(words, "")
    for phrase in ENGLISH:
        assert phrase not in text, phrase
    assert "à rattraper" in text and "En retard" in text

    subjects = Counter(
        page.locator("#agenda-reminders [data-subject]").evaluate_all(
            "rows => rows.map(r => r.dataset.subject)"
        )
    )
    assert [s for s, n in subjects.items() if n > 1] == []
    lines = page.locator("#agenda-reminders li.agenda-item").count()
    assert 1 <= lines <= 20  # short sections, "show all" for the rest
    # The bell agrees with what the agenda prompts.
    unread = Notification.objects.filter(user=camille, read_at=None).count()
    if unread:  # the count arrives with the bell's first request, just after the page
        page.wait_for_function(
            "() => document.querySelector('#bell-count-top').textContent.trim() !== ''"
        )
    bell = page.locator("#bell-count-top").inner_text().strip()
    assert int(bell or 0) == unread
    page.screenshot(path=str(screenshot_dir / "agenda-fr-iphone13.png"), full_page=True)

    # "Show all" of the catch-up: a real link that htmx swaps in place.
    more = page.locator('[data-show="catch_up"]')
    if more.count():
        more.first.click()
        page.wait_for_url("**/agenda/?show=catch_up")
        assert page.locator(".catch-up-items li").count() > 5
    context.close()

"""Signing out leaves nothing of the session in the browser: no cache, no IndexedDB (the outbox with
a capture still waiting in it), no local storage, no service worker."""

import pytest

from tests.e2e.conftest import SMALL_PHONE, sign_in_at, wait_for_worker

pytestmark = pytest.mark.e2e

WHAT_THE_BROWSER_KEEPS_JS = """
async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map(db => db.name),
  local: localStorage.length,
  session: sessionStorage.length,
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})
"""


def test_signing_out_empties_caches_storage_and_the_outbox(
    browser, live_server, concierge, field_world
):
    context = browser.new_context(**SMALL_PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    eloise = field_world["client"]
    sign_in_at(page, live_server.url, concierge)
    page.goto(f"{live_server.url}/clients/{eloise.pk}/capture/")
    wait_for_worker(page)
    # A quick note that cannot be sent (the server is unreachable for it): it waits in the outbox.
    page.route("**/notes/new/", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("textbox", name="Quick note").fill("Never seat near the kitchen")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_text("the note is kept on this phone").wait_for()
    page.evaluate("() => localStorage.setItem('last-client', 'Éloïse')")
    before = page.evaluate(WHAT_THE_BROWSER_KEEPS_JS)
    assert before["caches"] and "concierge-outbox" in before["databases"] and before["workers"]

    # The account menu's Sign out: the browser asks first, since a capture still waits.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator(".user-menu-mobile summary").click()
    page.locator(".user-menu-mobile").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/signed-out/")
    page.wait_for_function("() => document.documentElement.dataset.cleaned === '1'")
    assert dialogs and "1" in dialogs[0]

    after = page.evaluate(WHAT_THE_BROWSER_KEEPS_JS)
    assert after == {"caches": [], "databases": [], "local": 0, "session": 0, "workers": 0}
    assert eloise.last_name not in page.content()
    context.close()


def test_the_sign_out_answer_asks_the_browser_to_forget_the_site(concierge_client):
    response = concierge_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signed-out/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    page = concierge_client.get(response["Location"])
    assert page.status_code == 200
    assert "signed-out.js" in page.content.decode()

"""The bell and the notifications page: what was delivered to me, read once, and no one else's."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.models import Notification, Reminder
from tests.factories import ClientFactory

HTMX = {"HX-Request": "true"}


def notify(user, title="Send the flowers to Éloïse", *, minutes_ago=5, read=False, client=None):
    """A notification of a reminder set by hand (its words are the note; nothing else is stored)."""
    created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    reminder = Reminder.objects.create(
        owner=user, note=title, client=client, due_at=created, dedupe_key=f"test:{uuid.uuid4()}"
    )
    return Notification.objects.create(
        user=user, reminder=reminder, created_at=created, read_at=created if read else None
    )


def notify_many(user, count):
    reminders = Reminder.objects.bulk_create(
        Reminder(owner=user, note=f"n{i}", due_at=timezone.now(), dedupe_key=f"many:{i}")
        for i in range(count)
    )
    Notification.objects.bulk_create(Notification(user=user, reminder=r) for r in reminders)


# The bell
def test_the_bell_counts_my_unread_notifications(concierge_client, concierge, colleague):
    notify(concierge)
    notify(concierge)
    notify(concierge, read=True)
    notify(colleague)

    response = concierge_client.get("/notifications/count/", headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("2<span")  # swapped into the sidenav bell
    assert '<span id="bell-count-top" hx-swap-oob="innerHTML">2</span>' in html  # and the topbar's
    assert "no-cache" in response["Cache-Control"]


def test_the_bell_is_empty_when_all_is_read(concierge_client, concierge):
    notify(concierge, read=True)
    html = concierge_client.get("/notifications/count/", headers=HTMX).content.decode()
    assert html == '<span id="bell-count-top" hx-swap-oob="innerHTML"></span>'


def test_the_bell_says_99_plus_beyond_99(concierge_client, concierge):
    notify_many(concierge, 120)
    assert concierge_client.get("/notifications/count/").content.decode().startswith("99+<")


def test_the_bell_polls_from_the_navigation_of_every_page(concierge_client):
    html = concierge_client.get("/clients/").content.decode()
    assert 'hx-get="/notifications/count/" hx-trigger="load, every 60s"' in html
    assert 'id="bell-count-side"' in html and 'id="bell-count-top"' in html
    assert html.count('href="/notifications/"') == 2  # sidenav and topbar


def test_the_sign_in_page_has_no_bell(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="password"' in html  # the sign-in page it is
    assert "bell" not in html


def test_a_signed_out_bell_stops_polling_instead_of_showing_the_login_page(client, db):
    response = client.get("/notifications/count/", headers=HTMX)
    assert response.status_code == 286  # htmx: stop polling
    assert response.content == b""


# The page
def test_notifications_newest_first_unread_highlighted_mine_only(
    concierge_client, concierge, colleague
):
    notify(concierge, "Older and read", minutes_ago=60, read=True)
    notify(concierge, "Newer and unread", minutes_ago=1)
    notify(colleague, "Not mine")

    response = concierge_client.get("/notifications/")

    html = response.content.decode()
    assert html.index("Newer and unread") < html.index("Older and read")
    assert "Not mine" not in html
    assert html.count('class="notif is-unread"') == 1
    assert "1 unread" in html and "Mark all read" in html


def test_no_notifications_reads_well(concierge_client):
    html = concierge_client.get("/notifications/").content.decode()
    assert "No notifications yet" in html and "Mark all read" not in html


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(concierge_client, concierge):
    eloise = ClientFactory(primary_concierge=concierge)
    notification = notify(concierge, client=eloise)

    response = concierge_client.get(f"/notifications/{notification.pk}/")

    assert response.status_code == 302 and response["Location"] == f"/clients/{eloise.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    first_read = notification.read_at
    concierge_client.get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_a_notification_about_no_client_leads_to_the_agenda(concierge_client, concierge):
    notification = notify(concierge)
    response = concierge_client.get(f"/notifications/{notification.pk}/")
    assert response["Location"] == f"/agenda/#reminder-{notification.reminder_id}"


@pytest.mark.parametrize("who", ["colleague", "manager", "outsider"])
def test_someone_elses_notification_is_a_404(request, client, concierge, who):
    notification = notify(concierge)
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(concierge_client, concierge, colleague):
    notify(concierge)
    notify(concierge)
    theirs = notify(colleague)

    response = concierge_client.post("/notifications/read/")

    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(user=concierge, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = concierge_client.get("/notifications/").content.decode()
    assert "All notifications marked read." in page and "All read." in page


def test_mark_all_read_needs_a_post(concierge_client):
    assert concierge_client.get("/notifications/read/").status_code == 405


def test_the_page_costs_the_same_queries_for_3_or_120_notifications(concierge_client, concierge):
    def queries(count):
        Reminder.objects.all().delete()
        notify_many(concierge, count)
        with CaptureQueriesContext(connection) as captured:
            assert concierge_client.get("/notifications/").status_code == 200
        return len(captured)

    assert queries(3) == queries(120) <= 8

"""The bell and the notifications page: what was delivered to me, read once, and no one else's."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concierge.models import Notification, Reminder
from tests.factories import ClientFactory, ServiceRequestFactory

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


@pytest.mark.parametrize(
    ("language", "said"), [("en", "More than 99 unread"), ("fr", "Plus de 99 non lues")]
)
def test_the_page_says_more_than_99_unread_as_the_bell_says_99_plus(
    concierge_client, concierge, language, said
):
    concierge.language = language
    concierge.save(update_fields=["language"])
    notify_many(concierge, 120)
    page = concierge_client.get("/notifications/").content.decode()
    assert said in page and "100" not in page.split("notif-summary", 1)[1].split("</p>", 1)[0]


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


def catch_up_of(user, items, *, state="open"):
    """A catch-up prompt listing `items` live prompts of the user's, and its notification."""
    now = timezone.now()
    catch_up = Reminder.objects.create(
        owner=user,
        kind=Reminder.Kind.CATCH_UP,
        due_at=now,
        state=state,
        dedupe_key=f"catch-up:{uuid.uuid4()}",
    )
    Reminder.objects.bulk_create(
        Reminder(
            owner=user,
            note=f"late {i}",
            due_at=now,
            catch_up=catch_up,
            dedupe_key=f"item:{uuid.uuid4()}",
        )
        for i in range(items)
    )
    return Notification.objects.create(user=user, reminder=catch_up, created_at=now)


def test_the_page_costs_the_same_queries_for_3_60_or_300_notifications(
    concierge_client, concierge, colleague
):
    """However many notifications, catch-ups, items listed and notifications hidden (about a
    client now someone else's): the same queries for a page."""

    def queries(count, catch_ups, items):
        Reminder.objects.all().delete()
        notify_many(concierge, count)
        theirs = ClientFactory(primary_concierge=colleague)
        for _ in range(count // 10):
            notify(concierge, "About their client", client=theirs)
        for n in range(catch_ups):
            catch_up_of(concierge, items, state="open" if n == 0 else "done")
        with CaptureQueriesContext(connection) as captured:
            assert concierge_client.get("/notifications/").status_code == 200
        return len(captured)

    assert queries(3, 1, 3) == queries(60, 1, 3) == queries(300, 4, 150) <= 8


def test_notifications_about_someone_elses_client_are_hidden_from_the_page_and_its_paging(
    concierge_client, concierge, colleague
):
    """A client handed over to a colleague: their notifications leave my page, my pages close up,
    and the bell does not count them."""
    theirs = ClientFactory(primary_concierge=colleague)
    for i in range(30):
        notify(concierge, f"About theirs {i}", client=theirs, minutes_ago=i)
    for i in range(55):
        notify(concierge, f"Mine {i}", minutes_ago=100 + i)

    first = concierge_client.get("/notifications/").content.decode()
    second = concierge_client.get("/notifications/?page=2").content.decode()

    assert "About theirs" not in first + second
    assert first.count('class="notif is-unread"') == 50 and "Page 1 of 2" in first
    assert second.count('class="notif is-unread"') == 5 and "Page 2 of 2" in second
    assert "Mine 49<" in first and "Mine 50<" in second
    assert "55 unread" in first
    assert concierge_client.get("/notifications/count/").content.decode().startswith("55<")


@pytest.mark.parametrize(
    ("language", "first", "last"),
    [("en", "Page 1 of 5 or more", "Page 6 of 6"), ("fr", "Page 1 sur 5 ou plus", "Page 6 sur 6")],
)
def test_past_four_more_pages_the_pager_says_or_more_and_the_last_page_counts_itself(
    concierge_client, concierge, language, first, last
):
    """The pager counts at most 200 notifications past a page's start (each one's reminder is
    looked up for the reader's rule): beyond, "Page 1 of 5 or more"; the next page's link always
    works, and each page counts from its own start."""
    concierge.language = language
    concierge.save(update_fields=["language"])
    notify_many(concierge, 260)

    html = concierge_client.get("/notifications/").content.decode()
    assert first in html and "?page=2" in html

    html = concierge_client.get("/notifications/?page=6").content.decode()
    assert last in html and html.count('class="notif is-unread"') == 10


def test_a_catch_up_says_how_many_it_lists_up_to_99(concierge_client, concierge):
    catch_up_of(concierge, 3)
    catch_up_of(concierge, 120, state="done")  # its items still live: the sweep closes them later
    html = concierge_client.get("/notifications/").content.decode()
    assert "3 things to catch up on" in html
    assert "More than 99 things to catch up on" in html


def test_the_bell_counts_only_what_still_needs_me(concierge_client, concierge):
    """Unread notifications whose reminder no longer matters (a request acknowledged since its
    "acknowledge it" prompt, a prompt closed: the sweep closes them and marks them read) are not
    counted, even when they are the first hundred read."""
    acknowledged = ServiceRequestFactory(
        client=ClientFactory(primary_concierge=concierge), status="acknowledged"
    )
    prompt = Reminder.objects.create(
        owner=concierge,
        client=acknowledged.client,
        service_request=acknowledged,
        kind=Reminder.Kind.NOT_ACKNOWLEDGED,
        due_at=timezone.now(),
        dedupe_key="ack",
    )
    Notification.objects.create(user=concierge, reminder=prompt)
    notify_many(concierge, 110)
    Reminder.objects.filter(note__startswith="n").update(state="done")
    notify(concierge)
    notify(concierge)
    assert concierge_client.get("/notifications/count/").content.decode().startswith("2<")


@pytest.mark.parametrize(
    ("language", "failed", "retried"),
    [
        ("en", "its email could not be sent", "its email is being retried"),
        ("fr", "son e-mail n’a pas pu être envoyé", "son e-mail est en cours de renvoi"),
    ],
)
def test_each_row_says_how_its_email_went(concierge_client, concierge, language, failed, retried):
    concierge.language = language
    concierge.save(update_fields=["language"])
    now = timezone.now()
    given_up = notify(concierge, "Given up")
    Notification.objects.filter(pk=given_up.pk).update(email_failed_at=now)
    retrying = notify(concierge, "Retrying", read=True)
    Notification.objects.filter(pk=retrying.pk).update(next_attempt_at=now, email_attempts=2)
    notify(concierge, "Sent")

    rows = concierge_client.get("/notifications/").content.decode().split("<li>")[1:]

    assert [failed in row for row in rows] == [False, False, True]  # newest first
    assert [retried in row for row in rows] == [False, True, False]
    assert ["notif is-unread" in row for row in rows] == [True, False, True]

"""The agenda: what is due for me today, acted on in place; dates coming; requests due."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concierge.accounts.models import Absence
from concierge.models import Reminder
from concierge.reminders.services import reminder_close, reminder_create
from requests.models import Status
from tests.factories import ClientFactory, ImportantDateFactory, ServiceRequestFactory

HTMX = {"HX-Request": "true"}
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime.datetime(2027, 3, 10, 15, 0, tzinfo=PARIS)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def remind(owner, due_at, title="Call back Madame d'Harcourt", **extra):
    return reminder_create(owner=owner, by=owner, title=title, due_at=due_at, **extra)


def listed(response, section):
    return [r.title for r in getattr(response.context["agenda"], section)]


# What is on the agenda
def test_overdue_and_later_today_are_mine_and_live(concierge_client, concierge, colleague):
    remind(concierge, NOW - datetime.timedelta(days=1), title="Yesterday")
    remind(concierge, NOW - datetime.timedelta(minutes=30), title="Half an hour ago")
    remind(concierge, NOW.replace(hour=18), title="This evening")
    remind(concierge, NOW.replace(hour=23, minute=59), title="Just before midnight")
    remind(concierge, NOW + datetime.timedelta(days=1), title="Tomorrow")
    remind(colleague, NOW - datetime.timedelta(hours=1), title="My colleague's")
    reminder_close(reminder=remind(concierge, NOW, title="Closed"), state="done")

    response = concierge_client.get("/agenda/")

    assert response.status_code == 200
    assert listed(response, "overdue") == ["Yesterday", "Half an hour ago"]
    assert listed(response, "later_today") == ["This evening", "Just before midnight"]
    assert listed(response, "coming") == ["Tomorrow"]
    html = response.content.decode()
    assert "My colleague&#x27;s" not in html and "Closed" not in html


@pytest.mark.parametrize("about", ["client", "service_request"])
def test_my_prompt_about_a_client_no_longer_mine_leaves_my_agenda(
    concierge_client, concierge, colleague, about
):
    """Whose prompt it is does not settle it: the client's rule is applied to every row and badge
    (a client handed over while the prompt stayed with its owner, until the sweep moves it)."""
    mine, handed = (
        ClientFactory(primary_concierge=concierge),
        ClientFactory(primary_concierge=concierge),
    )
    subject = (
        {"client": handed}
        if about == "client"
        else {"service_request": ServiceRequestFactory(client=handed)}
    )
    remind(concierge, NOW - datetime.timedelta(hours=2), title="About the handed one", **subject)
    remind(concierge, NOW - datetime.timedelta(hours=1), title="About mine", client=mine)
    remind(concierge, NOW.replace(hour=18), title="This evening, handed", **subject)
    handed.primary_concierge = colleague
    handed.save(update_fields=["primary_concierge"])

    agenda = concierge_client.get("/agenda/").context["agenda"]

    assert [r.title for r in agenda.overdue] == ["About mine"]
    assert (agenda.overdue_count, agenda.later_today, agenda.later_today_count) == (1, [], 0)


def test_today_ends_at_midnight_in_my_own_time_zone(client, concierge):
    concierge.time_zone = "America/New_York"
    concierge.save()
    client.force_login(concierge)
    # 15:00 in Paris is 09:00 in New York: 23:00 New York is tomorrow in Paris, but today for me.
    remind(concierge, datetime.datetime(2027, 3, 10, 23, 0, tzinfo=NEW_YORK), title="Late call")
    remind(
        concierge, datetime.datetime(2027, 3, 11, 0, 30, tzinfo=NEW_YORK), title="After midnight"
    )

    response = client.get("/agenda/")

    assert listed(response, "later_today") == ["Late call"]
    assert listed(response, "coming") == ["After midnight"]
    assert ">23:00<" in response.content.decode()  # shown in my time zone


def test_a_row_shows_title_links_time_and_kind(concierge_client, concierge):
    eloise = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    dinner = ServiceRequestFactory(client=eloise, title="Dinner at Le Cinq")
    remind(
        concierge,
        NOW.replace(hour=18, minute=30),
        title="Confirm the table",
        client=eloise,
        service_request=dinner,
    )

    html = concierge_client.get("/agenda/").content.decode()

    row = html[html.index('data-list="today"') :]
    assert "Confirm the table" in row
    assert f'href="/clients/{eloise.pk}/"' in row and "Éloïse d&#x27;Harcourt" in row
    assert f'href="/requests/{dinner.pk}/"' in row and "Dinner at Le Cinq" in row
    assert ">18:30<" in row
    assert "Reminder" in row  # the kind


def test_nothing_due_reads_well(concierge_client):
    html = concierge_client.get("/agenda/").content.decode()
    assert "You are clear for today." in html
    assert "No birthday or anniversary in the next two weeks." in html
    assert "No request of yours is late or due in the next 48 hours." in html
    assert "Overdue" not in html


def test_important_dates_of_my_clients_in_the_next_two_weeks(
    concierge_client, concierge, colleague
):
    mine = ClientFactory(first_name="Louise", last_name="Primary", primary_concierge=concierge)
    backup = ClientFactory(
        first_name="Hugo",
        last_name="Backup",
        primary_concierge=colleague,
        backup_concierge=concierge,
    )
    others = ClientFactory(first_name="Paul", last_name="Other", primary_concierge=colleague)
    ImportantDateFactory(client=mine, kind="birthday", date=datetime.date(1970, 3, 15))
    ImportantDateFactory(client=backup, kind="anniversary", date=datetime.date(2001, 3, 24))
    ImportantDateFactory(client=mine, kind="birthday", date=datetime.date(1980, 3, 25))  # 15 days
    ImportantDateFactory(client=others, kind="birthday", date=datetime.date(1975, 3, 12))
    ImportantDateFactory(
        client=mine, kind="custom", label="Gala", date=datetime.date(2026, 3, 12), yearly=False
    )

    response = concierge_client.get("/agenda/")

    dates = response.context["agenda"].dates
    assert [(d.last_name, d.next_on, d.days) for d in dates] == [
        ("Primary", datetime.date(2027, 3, 15), 5),
        ("Backup", datetime.date(2027, 3, 24), 14),
    ]
    html = response.content.decode()
    assert "in 5 days" in html and "turns 57" in html
    assert "Paul" not in html


def test_a_29_february_birthday_comes_on_the_28th(concierge_client, concierge):
    with time_machine.travel(datetime.datetime(2027, 2, 20, 12, tzinfo=PARIS), tick=False):
        leap = ClientFactory(primary_concierge=concierge)
        ImportantDateFactory(client=leap, kind="birthday", date=datetime.date(1980, 2, 29))
        (item,) = concierge_client.get("/agenda/").context["agenda"].dates
    assert (item.next_on, item.days) == (datetime.date(2027, 2, 28), 8)


def test_requests_due_are_my_open_ones_late_or_due_within_48_hours(
    concierge_client, concierge, colleague
):
    client = ClientFactory(primary_concierge=concierge)
    hour = datetime.timedelta(hours=1)
    ServiceRequestFactory(client=client, title="Late", due_at=NOW - 3 * hour)
    ServiceRequestFactory(client=client, title="Soon", due_at=NOW + 30 * hour)
    ServiceRequestFactory(client=client, title="Later", due_at=NOW + 72 * hour)
    ServiceRequestFactory(client=client, title="Done", due_at=NOW - hour, status=Status.CLOSED)
    ServiceRequestFactory(client=client, title="Colleague's", due_at=NOW, assignee=colleague)

    response = concierge_client.get("/agenda/")

    assert [sr.title for sr in response.context["agenda"].requests] == ["Late", "Soon"]
    assert "overdue since" in response.content.decode()


def test_a_manager_sees_their_team_at_a_glance(manager_client, concierge, colleague, outsider):
    remind(concierge, NOW - datetime.timedelta(hours=2))
    remind(concierge, NOW + datetime.timedelta(hours=2))
    remind(colleague, NOW - datetime.timedelta(hours=1))
    remind(outsider, NOW - datetime.timedelta(hours=1))

    response = manager_client.get("/agenda/")

    team = {
        row["member"].username: (row["overdue"], row["today"])
        for row in response.context["agenda"].team
    }
    assert team == {"owner": (1, 1), "colleague": (1, 0)}
    assert "Your team today" in response.content.decode()


def test_a_concierge_has_no_team_section(concierge_client, concierge, colleague):
    remind(colleague, NOW - datetime.timedelta(hours=1))
    response = concierge_client.get("/agenda/")
    assert response.context["agenda"].team == []
    html = response.content.decode()
    assert "You are clear for today." in html  # the agenda, without the team
    assert "Your team today" not in html


# Acting on a reminder, in place
def test_done_closes_the_reminder_and_answers_with_the_updated_lists(concierge_client, concierge):
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1), title="Send the flowers")

    response = concierge_client.post(f"/agenda/reminders/{reminder.pk}/done/", headers=HTMX)

    assert response.status_code == 200
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE and reminder.closed_at is not None
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="agenda-reminders"')
    assert f'id="reminder-{reminder.pk}"' not in html
    assert "Done: Send the flowers" in html  # the toast
    assert "You are clear for today." in html


def test_dismiss_closes_the_reminder_as_dismissed(concierge_client, concierge):
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1))
    response = concierge_client.post(f"/agenda/reminders/{reminder.pk}/dismiss/", headers=HTMX)
    assert response.status_code == 200
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DISMISSED
    assert "Dismissed:" in response.content.decode()


@pytest.mark.parametrize(
    "option, expected",
    [
        # now is 09:00 in New York on Wednesday 10 March 2027
        ("hour", datetime.datetime(2027, 3, 10, 10, 0, tzinfo=NEW_YORK)),
        ("tomorrow", datetime.datetime(2027, 3, 11, 9, 0, tzinfo=NEW_YORK)),
        ("next_week", datetime.datetime(2027, 3, 15, 9, 0, tzinfo=NEW_YORK)),
    ],
)
def test_snooze_moves_the_reminder_in_my_time_zone(client, concierge, option, expected):
    concierge.time_zone = "America/New_York"
    concierge.save()
    client.force_login(concierge)
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1))
    reminder.notified_at = NOW
    reminder.save()

    response = client.post(
        f"/agenda/reminders/{reminder.pk}/snooze/", {"option": option}, headers=HTMX
    )

    assert response.status_code == 200
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SNOOZED
    assert reminder.due_at == expected
    assert reminder.notified_at is None  # it prompts again at the new time
    assert "Snoozed until" in response.content.decode()


def test_snoozing_an_hour_moves_an_overdue_reminder_to_later_today(concierge_client, concierge):
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1))
    response = concierge_client.post(
        f"/agenda/reminders/{reminder.pk}/snooze/", {"option": "hour"}, headers=HTMX
    )
    agenda = response.context["agenda"]
    assert [r.pk for r in agenda.overdue] == []
    assert [r.pk for r in agenda.later_today] == [reminder.pk]
    assert "snoozed" in response.content.decode()


def test_an_unknown_snooze_is_refused(concierge_client, concierge):
    reminder = remind(concierge, NOW)
    response = concierge_client.post(
        f"/agenda/reminders/{reminder.pk}/snooze/", {"option": "forever"}, headers=HTMX
    )
    assert response.status_code == 400
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.OPEN


def test_without_htmx_an_action_comes_back_to_the_agenda(concierge_client, concierge):
    reminder = remind(concierge, NOW)
    response = concierge_client.post(f"/agenda/reminders/{reminder.pk}/done/")
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    assert "Done:" in concierge_client.get("/agenda/").content.decode()


def test_a_closed_reminder_stays_closed(concierge_client, concierge):
    reminder = reminder_close(reminder=remind(concierge, NOW), state="dismissed")
    response = concierge_client.post(
        f"/agenda/reminders/{reminder.pk}/snooze/", {"option": "hour"}, headers=HTMX
    )
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DISMISSED
    assert "already closed" in response.content.decode()


@pytest.mark.parametrize("who", ["colleague", "outsider", "outside_manager"])
@pytest.mark.parametrize(
    "action, data",
    [("done", {}), ("dismiss", {}), ("snooze", {"option": "hour"})],
)
def test_someone_elses_reminder_is_a_404_on_every_action(
    request, client, concierge, who, action, data
):
    reminder = remind(concierge, NOW - datetime.timedelta(hours=1))
    client.force_login(request.getfixturevalue(who))

    response = client.post(f"/agenda/reminders/{reminder.pk}/{action}/", data, headers=HTMX)

    assert response.status_code == 404
    reminder.refresh_from_db()
    assert (reminder.state, reminder.due_at) == (
        Reminder.State.OPEN,
        NOW - datetime.timedelta(hours=1),
    )


def test_a_manager_may_close_a_teammates_reminder(manager_client, concierge):
    reminder = remind(concierge, NOW)
    response = manager_client.post(f"/agenda/reminders/{reminder.pk}/done/", headers=HTMX)
    assert response.status_code == 200
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_actions_need_a_post(concierge_client, concierge):
    reminder = remind(concierge, NOW)
    assert concierge_client.get(f"/agenda/reminders/{reminder.pk}/done/").status_code == 405


# Setting a reminder by hand
def test_set_a_reminder_from_the_agenda_with_a_quick_choice(concierge_client, concierge):
    eloise = ClientFactory(first_name="Éloïse", primary_concierge=concierge)
    page = concierge_client.get("/agenda/").content.decode()
    assert 'value="2027-03-11T10:00"' in page and "Tomorrow 10:00" in page
    assert "Friday 10:00" in page and "Next Wednesday" in page

    response = concierge_client.post(
        "/agenda/reminders/new/",
        {
            "title": "Book the spa",
            "when": "2027-03-12T10:00",
            "client": eloise.pk,
            "where": "agenda",
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    reminder = Reminder.objects.get(note="Book the spa")
    assert reminder.due_at == datetime.datetime(2027, 3, 12, 10, 0, tzinfo=PARIS)
    assert (reminder.owner, reminder.created_by, reminder.client) == (concierge, concierge, eloise)
    assert reminder.kind == Reminder.Kind.MANUAL
    html = response.content.decode()
    assert "Reminder set for" in html
    assert 'id="agenda-reminders" class="agenda-reminders" hx-swap-oob="true"' in html


def test_a_custom_time_is_read_in_my_time_zone(client, concierge):
    concierge.time_zone = "America/New_York"
    concierge.save()
    client.force_login(concierge)
    client.post(
        "/agenda/reminders/new/",
        {"title": "Call the yacht broker", "when": "custom", "due_at": "2027-03-10T16:45"},
    )
    reminder = Reminder.objects.get()
    assert reminder.due_at == datetime.datetime(2027, 3, 10, 16, 45, tzinfo=NEW_YORK)


def test_a_new_reminder_due_later_today_shows_at_once(concierge_client):
    response = concierge_client.post(
        "/agenda/reminders/new/",
        {
            "title": "Call the florist",
            "when": "custom",
            "due_at": "2027-03-10T17:00",
            "where": "agenda",
        },
        headers=HTMX,
    )
    html = response.content.decode()
    oob = html[html.index('id="agenda-reminders"') :]
    assert "Call the florist" in oob and ">17:00<" in oob


@pytest.mark.parametrize(
    "data, error",
    [
        ({"title": "", "when": "2027-03-11T10:00"}, "This field is required."),
        (
            {"title": "Past", "when": "custom", "due_at": "2027-03-09T10:00"},
            "That moment has passed",
        ),
        ({"title": "No time", "when": "custom", "due_at": ""}, "Pick a day and a time."),
        ({"title": "Garbled", "when": "next blue moon"}, "Pick a day and a time."),
    ],
)
def test_an_invalid_reminder_form_says_why(concierge_client, data, error):
    response = concierge_client.post("/agenda/reminders/new/", data, headers=HTMX)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Reminder.objects.exists()


def test_the_client_page_offers_a_reminder_form(concierge_client, concierge):
    eloise = ClientFactory(primary_concierge=concierge)
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert f"/agenda/reminders/new/?client={eloise.pk}&amp;next=/clients/{eloise.pk}/" in html

    form = concierge_client.get(
        f"/agenda/reminders/new/?client={eloise.pk}&next=/clients/{eloise.pk}/", headers=HTMX
    ).content.decode()
    assert f'name="client" value="{eloise.pk}"' in form
    assert f'name="next" value="/clients/{eloise.pk}/"' in form
    assert "Call " in form  # a title to start from


def test_a_reminder_set_from_a_client_page_comes_back_to_it(concierge_client, concierge):
    eloise = ClientFactory(primary_concierge=concierge)
    response = concierge_client.post(
        "/agenda/reminders/new/",
        {
            "title": "Ask about the ski trip",
            "when": "2027-03-11T10:00",
            "client": eloise.pk,
            "next": f"/clients/{eloise.pk}/",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/clients/{eloise.pk}/"
    reminder = Reminder.objects.get()
    assert (reminder.client, reminder.service_request) == (eloise, None)


def test_a_reminder_set_from_a_request_is_about_the_request_and_its_client(
    concierge_client, concierge
):
    eloise = ClientFactory(primary_concierge=concierge)
    dinner = ServiceRequestFactory(client=eloise, title="Dinner at Le Cinq")
    page = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert f"/agenda/reminders/new/?service_request={dinner.pk}" in page

    response = concierge_client.post(
        "/agenda/reminders/new/",
        {"title": "Confirm", "when": "2027-03-11T10:00", "service_request": dinner.pk},
        headers=HTMX,
    )

    assert response.status_code == 200
    reminder = Reminder.objects.get()
    assert (reminder.client, reminder.service_request) == (eloise, dinner)
    assert f'name="service_request" value="{dinner.pk}"' in response.content.decode()


def test_next_must_stay_on_this_site(concierge_client):
    response = concierge_client.post(
        "/agenda/reminders/new/",
        {"title": "x", "when": "2027-03-11T10:00", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/agenda/"


@pytest.mark.parametrize("field", ["client", "service_request"])
def test_a_reminder_about_someone_elses_client_is_a_404(concierge_client, colleague, field):
    theirs = ClientFactory(primary_concierge=colleague)
    subject = theirs if field == "client" else ServiceRequestFactory(client=theirs)
    data = {"title": "Snoop", "when": "2027-03-11T10:00", field: subject.pk}

    assert concierge_client.post("/agenda/reminders/new/", data).status_code == 404
    assert concierge_client.get("/agenda/reminders/new/", {field: subject.pk}).status_code == 404
    assert not Reminder.objects.exists()


# Cost
def test_the_agenda_costs_the_same_queries_for_5_or_200_reminders(client, concierge, manager):
    def queries_for(user, count):
        Reminder.objects.all().delete()
        clients = [ClientFactory(primary_concierge=concierge) for _ in range(3)]
        for i in range(count):
            remind(
                concierge,
                NOW + datetime.timedelta(minutes=20 * i - 60 * 24),
                title=f"Reminder {i}",
                client=clients[i % 3],
                service_request=ServiceRequestFactory(client=clients[i % 3])
                if i % 10 == 0
                else None,
            )
            ImportantDateFactory(client=clients[i % 3], date=datetime.date(1980, 3, 10 + i % 10))
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/agenda/").status_code == 200
        return len(queries)

    # A concierge's page reads once who is away now (their stand-in duties); its lists read their
    # candidates in due order in one query, test them all in another, and read the rows in one
    # query by key.
    for user, bound in ((concierge, 14), (manager, 21)):
        few, many = queries_for(user, 5), queries_for(user, 200)
        assert few == many <= bound


def test_settled_prompts_filling_the_first_candidates_do_not_hide_those_that_matter(
    concierge_client, concierge, colleague
):
    """More settled prompts (the next sweep closes them) ahead in due order than the agenda reads
    before its test: the ones that still matter are listed and counted all the same."""
    # Handed over to the colleague: the concierge, now the backup, still sees the client.
    eloise = ClientFactory(primary_concierge=colleague, backup_concierge=concierge)
    Reminder.objects.bulk_create(
        Reminder(
            owner=concierge,
            kind=Reminder.Kind.HANDOVER,
            client=eloise,
            due_at=NOW - datetime.timedelta(days=2, minutes=i),
            dedupe_key=f"settled:{i}",
        )
        for i in range(250)
    )
    for i in range(3):
        remind(concierge, NOW - datetime.timedelta(hours=i + 1), title=f"Still matters {i}")

    agenda = concierge_client.get("/agenda/").context["agenda"]
    assert sorted(r.title for r in agenda.overdue) == [f"Still matters {i}" for i in range(3)]
    assert agenda.overdue_count == 3


def test_the_agenda_costs_the_same_queries_for_one_catch_up_or_two(client, concierge, colleague):
    """A stand-in sees the absent colleague's catch-up beside their own: still the same queries."""

    def catch_up_for(owner):
        catch_up = Reminder.objects.create(
            owner=owner,
            kind=Reminder.Kind.CATCH_UP,
            due_at=NOW - datetime.timedelta(minutes=5),
            dedupe_key=f"catchup:{owner.pk}",
        )
        for i in range(3):
            remind(owner, NOW - datetime.timedelta(hours=i + 1), title=f"Missed {i}")
        Reminder.objects.filter(owner=owner, kind=Reminder.Kind.MANUAL).update(catch_up=catch_up)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/agenda/")
        assert response.status_code == 200
        return len(captured), [r.pk for r in response.context["agenda"].overdue if r.is_catch_up]

    catch_up_for(concierge)
    client.force_login(concierge)
    one, shown = queries()
    assert len(shown) == 1
    Absence.objects.create(
        user=colleague,
        stand_in=concierge,
        starts_at=NOW - datetime.timedelta(days=1),
        ends_at=NOW + datetime.timedelta(days=1),
    )
    catch_up_for(colleague)
    two, shown = queries()
    assert len(shown) == 2
    assert two == one


def test_without_javascript_the_form_has_a_page_of_its_own(concierge_client, concierge):
    eloise = ClientFactory(primary_concierge=concierge)
    response = concierge_client.get(
        f"/agenda/reminders/new/?client={eloise.pk}&next=/clients/{eloise.pk}/"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Set a reminder</h1>" in html
    assert "hx-disable" in html  # a plain post, which goes back to the client


# The reminder form's client menu: loaded on demand, never every client
def test_the_agenda_form_lists_no_client_until_one_is_searched(concierge_client, concierge):
    ClientFactory.create_batch(40, last_name="Harcourt", primary_concierge=concierge)
    page = concierge_client.get("/agenda/").content.decode()
    menu = page[page.index('name="client"') :]
    menu = menu[: menu.index("</select>")]
    assert menu.count("<option") == 1  # "No client" only
    assert 'hx-get="/agenda/reminders/clients/"' in page and 'name="client_q"' in page


def test_typing_fetches_the_matching_clients_the_user_may_see(
    concierge_client, concierge, colleague
):
    mine = ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Zoé", last_name="Harcourt", primary_concierge=colleague)
    ClientFactory(first_name="Karim", last_name="Benali", primary_concierge=concierge)
    response = concierge_client.get(
        "/agenda/reminders/clients/", {"client_q": "harcourt"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<label")
    assert f'value="{mine.pk}"' in html and "Éloïse" in html
    assert "Zoé" not in html and "Karim" not in html


def test_the_menu_shows_at_most_20_matches(concierge_client, concierge):
    ClientFactory.create_batch(30, last_name="Harcourt", primary_concierge=concierge)
    html = concierge_client.get(
        "/agenda/reminders/clients/", {"client_q": "harc"}, headers=HTMX
    ).content.decode()
    assert html.count("<option") == 21  # "No client" and 20 matches


def test_without_javascript_find_fills_the_menu_and_sets_nothing(concierge_client, concierge):
    eloise = ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    response = concierge_client.post(
        "/agenda/reminders/new/",
        {"title": "Book the spa", "when": "2027-03-12T10:00", "client_q": "eloise", "find": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert f'<option value="{eloise.pk}">' in html and 'value="Book the spa"' in html
    assert not Reminder.objects.exists()
    # Then the chosen client is kept on the menu and the reminder is set about them.
    concierge_client.post(
        "/agenda/reminders/new/",
        {"title": "Book the spa", "when": "2027-03-12T10:00", "client": eloise.pk},
    )
    assert Reminder.objects.get().client == eloise


def test_a_client_the_user_may_not_see_is_refused(concierge_client, colleague):
    other = ClientFactory(primary_concierge=colleague)
    response = concierge_client.post(
        "/agenda/reminders/new/",
        {"title": "Peek", "when": "2027-03-12T10:00", "client": other.pk, "where": "agenda"},
        headers=HTMX,
    )
    assert not Reminder.objects.exists()
    assert response.status_code in (200, 404)


def test_the_agenda_queries_do_not_grow_with_the_clients(client, concierge):
    client.force_login(concierge)
    ClientFactory.create_batch(3, primary_concierge=concierge)
    with CaptureQueriesContext(connection) as few:
        client.get("/agenda/")
    ClientFactory.create_batch(60, primary_concierge=concierge)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/agenda/")
    assert len(many) == len(few)
    assert len(page.content) < 200_000


def test_a_plain_request_for_the_matches_gets_the_whole_form_with_them(concierge_client, concierge):
    eloise = ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    response = concierge_client.get(
        "/agenda/reminders/clients/", {"client_q": "harcourt"}, follow=True
    )
    html = response.content.decode()
    assert "<html" in html and f'<option value="{eloise.pk}">' in html
    assert 'value="harcourt"' in html

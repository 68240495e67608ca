"""Each 500 the property-based tests found (test_fuzzing_every_form.py), kept as a regression."""

import pytest
from django.utils import timezone

from concierge.accounts.models import Absence
from concierge.reminders.models import Reminder
from tests.factories import ClientFactory


@pytest.fixture
def reminder(concierge):
    return Reminder.objects.create(
        owner=concierge, kind=Reminder.Kind.MANUAL, due_at=timezone.now(), dedupe_key="regression"
    )


@pytest.mark.parametrize("nxt", ["0", "agenda", "x"])
def test_a_bare_word_as_the_next_page_goes_to_the_agenda_after_closing_a_reminder(
    concierge_client, reminder, nxt
):
    response = concierge_client.post(f"/agenda/reminders/{reminder.pk}/done/", {"next": nxt})
    assert response.status_code == 302 and response["Location"] == "/agenda/"
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_a_bare_word_as_the_next_page_of_the_code_page_is_ignored(concierge_client):
    response = concierge_client.get("/accounts/code/", {"next": "0"})
    assert response.status_code == 302 and response["Location"] == "/agenda/"


def test_a_bare_word_as_the_next_page_of_the_language_switch_is_ignored(concierge_client):
    response = concierge_client.post("/me/language/", {"language": "fr", "next": "0"})
    assert response.status_code == 302 and response["Location"] == "/agenda/"


def test_a_path_on_this_site_is_still_followed(concierge_client, reminder):
    response = concierge_client.post(
        f"/agenda/reminders/{reminder.pk}/done/", {"next": "/clients/?q=a"}
    )
    assert response["Location"] == "/clients/?q=a"


def test_a_superscript_digit_among_the_ticked_clients_is_ignored(manager_client, concierge):
    record = ClientFactory(primary_concierge=concierge)
    assert manager_client.get("/clients/assign/", {"clients": ["²", record.pk]}).status_code == 200
    response = manager_client.post(
        "/clients/assign/", {"clients": ["²", str(record.pk)], "action": "assign"}
    )
    assert response.status_code == 200  # the choice again, saying what is wrong
    record.refresh_from_db()
    assert record.primary_concierge == concierge


@pytest.mark.parametrize("beyond", ["9223372036854775808", "99999999999999999999999"])
def test_an_id_past_a_64_bit_column_among_the_ticked_clients_is_refused(
    manager_client, concierge, beyond
):
    record = ClientFactory(primary_concierge=concierge)
    response = manager_client.post(
        "/clients/assign/", {"clients": [str(record.pk), beyond], "action": "unassign"}
    )
    assert response.status_code == 200  # the choice again, saying what is wrong
    assert f"“{beyond}” is not a valid value." in response.content.decode()
    record.refresh_from_db()
    assert record.primary_concierge == concierge


def test_a_superscript_digit_as_the_reminders_client_is_no_500(concierge_client):
    response = concierge_client.get(
        "/agenda/reminders/clients/",
        {"client_q": "x", "client": "²"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def test_a_timeline_cursor_before_the_first_utc_day_is_refused_clearly(concierge_client, concierge):
    record = ClientFactory(primary_concierge=concierge)
    response = concierge_client.get(
        f"/clients/{record.pk}/timeline/", {"before": "0001-01-01T00:00:00+05:00"}
    )
    assert response.status_code == 400


def test_an_absence_in_the_year_1_is_refused_and_nothing_is_written(manager_client, concierge):
    response = manager_client.post(
        "/team/absences/",
        {"user": concierge.pk, "starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T05:30"},
    )
    assert response.status_code == 200
    assert "Pick a date from last year to five years ahead." in response.content.decode()
    assert not Absence.objects.exists()


def test_a_due_moment_in_the_year_1_is_refused_and_no_request_is_written(
    concierge_client, concierge
):
    from requests.models import ServiceRequest

    record = ClientFactory(primary_concierge=concierge)
    for moment in ("0001-01-01000+0001", "0001-01-01T00:00", "0001-01-01"):
        response = concierge_client.post(
            f"/requests/new/?client={record.pk}",
            {"client": record.pk, "title": "Dinner", "due_at": moment, "event_date": moment},
        )
        assert response.status_code == 200, moment
    assert not ServiceRequest.objects.exists()

"""The holes a concierge met in the first week: vendor stages that move, closing with loose ends
asks first, a closed request is read-only until reopened with a reason, past dates are warned."""

import datetime

import pytest
from django.utils import timezone

from requests import services
from requests.models import (
    ChecklistItem,
    Feedback,
    RequestEvent,
    ServiceRequest,
    Status,
    VendorUse,
)
from requests.workflow import TransitionError, service_request_transition
from tests.factories import ClientFactory, ServiceRequestFactory, VendorFactory
from tests.typed import at_noon

HTMX = {"HX-Request": "true"}


@pytest.fixture
def dinner(concierge):
    client = ClientFactory(primary_concierge=concierge, tier="private")
    return ServiceRequestFactory(client=client, title="Dinner at Kei", status=Status.IN_PROGRESS)


@pytest.fixture
def held_table(dinner):
    return VendorUse.objects.create(
        service_request=dinner, vendor=VendorFactory(name="Kei"), stage=VendorUse.Stage.HELD
    )


def _transition(client, sr, to, headers=None, **extra):
    data = {"to": to, "expected": sr.status, **extra}
    return client.post(f"/requests/{sr.pk}/transition/", data, headers=headers or {})


# Vendor stages
def test_a_vendor_use_moves_held_to_booked_and_the_history_says_so(
    concierge_client, dinner, held_table, concierge
):
    response = concierge_client.post(
        f"/requests/{dinner.pk}/vendors/{held_table.pk}/stage/", {"stage": "booked"}, headers=HTMX
    )
    assert response.status_code == 200
    held_table.refresh_from_db()
    assert held_table.stage == VendorUse.Stage.BOOKED
    event = RequestEvent.objects.get(service_request=dinner, kind="vendor")
    assert (event.from_value, event.to_value, event.note, event.by) == (
        "held",
        "booked",
        "Kei",
        concierge,
    )
    assert "Held → Booked" in response.content.decode()


def test_a_vendor_use_can_be_released_then_cancelled_is_refused_from_released(
    concierge, dinner, held_table
):
    services.vendor_use_move(vendor_use=held_table, stage="released", by=concierge)
    with pytest.raises(TransitionError, match="cannot go from"):
        services.vendor_use_move(vendor_use=held_table, stage="quoted", by=concierge)
    moved = services.vendor_use_move(vendor_use=held_table, stage="booked", by=concierge)
    assert moved.stage == "booked"
    moves = list(
        RequestEvent.objects.filter(kind="vendor")
        .order_by("id")
        .values_list("from_value", "to_value")
    )
    assert moves == [("held", "released"), ("released", "booked")]


def test_cancelled_is_a_vendor_stage(concierge, dinner, held_table):
    services.vendor_use_move(vendor_use=held_table, stage="cancelled", by=concierge)
    held_table.refresh_from_db()
    assert held_table.get_stage_display() == "Cancelled"


# Loose ends
def test_mark_fulfilled_with_an_open_item_and_a_hold_asks_first_without_javascript(
    concierge_client, dinner, held_table
):
    ChecklistItem.objects.create(service_request=dinner, text="Confirm the car")
    page = _transition(concierge_client, dinner, "fulfilled")
    assert page.status_code == 200  # a whole page with the question, nothing changed
    html = page.content.decode()
    assert "Mark fulfilled with these still open?" in html
    assert "to do: Confirm the car" in html and "Kei still held" in html
    assert '<html lang="en">' in html
    dinner.refresh_from_db()
    assert dinner.status == Status.IN_PROGRESS
    assert not RequestEvent.objects.filter(kind="transition").exists()

    done = _transition(concierge_client, dinner, "fulfilled", confirmed="1")
    assert done.status_code == 302
    dinner.refresh_from_db()
    assert dinner.status == Status.FULFILLED


def test_closing_with_an_open_item_asks_first_with_htmx(concierge_client, dinner):
    dinner.status = Status.FULFILLED
    dinner.save()
    Feedback.objects.create(service_request=dinner, score=9)
    ChecklistItem.objects.create(service_request=dinner, text="Send the thank-you note")
    fragment = concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "closed", "expected": "fulfilled"},
        headers=HTMX,
    )
    html = fragment.content.decode()
    assert "Close with these still open?" in html and "Send the thank-you note" in html
    assert "<html" not in html
    assert ServiceRequest.objects.get().status == Status.FULFILLED


def test_nothing_open_means_no_question(concierge_client, dinner):
    ChecklistItem.objects.create(service_request=dinner, text="Done", done_at=timezone.now())
    _transition(concierge_client, dinner, "fulfilled")
    assert ServiceRequest.objects.get().status == Status.FULFILLED


def test_the_board_does_not_close_past_loose_ends(concierge_client, dinner):
    ChecklistItem.objects.create(service_request=dinner, text="Confirm the car")
    response = concierge_client.post(
        f"/requests/{dinner.pk}/transition/?from=board&view=board",
        {"to": "fulfilled", "expected": "in_progress"},
        headers=HTMX,
    )
    assert "still has open items" in response.content.decode()
    assert ServiceRequest.objects.get().status == Status.IN_PROGRESS


# Closed is read-only
@pytest.fixture
def closed(dinner, held_table):
    ServiceRequest.objects.filter(pk=dinner.pk).update(status=Status.CLOSED)
    dinner.refresh_from_db()
    return dinner


def test_a_closed_request_refuses_additions_in_the_services(concierge, closed, held_table):
    with pytest.raises(TransitionError, match="reopen"):
        services.checklist_add(service_request=closed, by=concierge, text="One more thing")
    with pytest.raises(TransitionError, match="reopen"):
        services.comment_add(service_request=closed, by=concierge, text="Late note")
    with pytest.raises(TransitionError, match="reopen"):
        services.vendor_use_save(
            vendor_use=VendorUse(service_request=closed, vendor=VendorFactory()), by=concierge
        )
    with pytest.raises(TransitionError, match="reopen"):
        services.vendor_use_move(vendor_use=held_table, stage="booked", by=concierge)
    with pytest.raises(TransitionError, match="reopen"):
        services.vendor_use_delete(vendor_use=held_table, by=concierge)
    assert not ChecklistItem.objects.exists()
    assert VendorUse.objects.count() == 1
    assert not RequestEvent.objects.exists()


def test_a_closed_request_page_has_no_add_forms_and_posts_are_refused(concierge_client, closed):
    html = concierge_client.get(f"/requests/{closed.pk}/").content.decode()
    assert f"/requests/{closed.pk}/checklist/" not in html
    assert f"/requests/{closed.pk}/vendors/" not in html
    assert f"/requests/{closed.pk}/comment/" not in html
    assert "Reopen" in html and "Why reopen it?" in html
    response = concierge_client.post(
        f"/requests/{closed.pk}/checklist/", {"text": "Sneaked in"}, headers=HTMX
    )
    assert "reopen it before changing it" in response.content.decode()
    assert not ChecklistItem.objects.exists()


def test_reopening_needs_a_reason_and_writes_an_event(concierge_client, closed, concierge):
    refused = _transition(concierge_client, closed, "in_progress", headers=HTMX)
    assert "Say why the request is reopened." in refused.content.decode()
    assert ServiceRequest.objects.get().status == Status.CLOSED

    _transition(concierge_client, closed, "in_progress", note="The client moved the date")
    reopened = ServiceRequest.objects.get()
    assert reopened.status == Status.IN_PROGRESS and reopened.closed_at is None
    event = RequestEvent.objects.get(kind="transition")
    assert (event.from_value, event.to_value, event.note, event.by) == (
        "closed",
        "in_progress",
        "The client moved the date",
        concierge,
    )
    services.checklist_add(service_request=reopened, by=concierge, text="Now it is open again")


def test_cancelled_is_read_only_and_final(concierge, dinner):
    service_request_transition(service_request_id=dinner.pk, to_status="cancelled", by=concierge)
    with pytest.raises(TransitionError):
        services.checklist_add(service_request=dinner, by=concierge, text="x")
    with pytest.raises(TransitionError):
        service_request_transition(
            service_request_id=dinner.pk, to_status="in_progress", by=concierge, note="why"
        )


# Past dates are warned, then kept on confirmation
def _new_request(concierge_client, client, **extra):
    return concierge_client.post(
        "/requests/new/",
        {
            "client": client.pk,
            "title": "Dinner",
            "category": "dining",
            "priority": "normal",
            "currency": "EUR",
            **extra,
        },
    )


def test_a_past_event_date_is_warned_then_saved_once_confirmed(concierge_client, concierge):
    client = ClientFactory(primary_concierge=concierge)
    past = at_noon(timezone.localtime() - datetime.timedelta(days=400))
    warned = _new_request(concierge_client, client, event_at=past)
    html = warned.content.decode()
    assert warned.status_code == 200 and not ServiceRequest.objects.exists()
    assert "is in the past" in html and 'name="past_ok"' in html and 'type="checkbox"' in html
    assert f'value="{past}"' in html  # what was typed is kept
    saved = _new_request(concierge_client, client, event_at=past, past_ok="on")
    assert saved.status_code == 302
    assert ServiceRequest.objects.get().event_at < timezone.now()


def test_a_past_due_date_on_edit_is_warned(concierge_client, dinner):
    past = "2020-03-01T10:00"
    response = concierge_client.post(
        f"/requests/{dinner.pk}/edit/",
        {
            "title": dinner.title,
            "category": "dining",
            "priority": "normal",
            "currency": "EUR",
            "due_at": past,
            "version": dinner.version,
        },
    )
    assert "is in the past" in response.content.decode()
    dinner.refresh_from_db()
    assert dinner.due_at.year != 2020


def test_the_new_request_form_has_one_date_and_time_and_no_separate_time(
    concierge_client, concierge
):
    client = ClientFactory(primary_concierge=concierge)
    html = concierge_client.get(f"/requests/new/?client={client.pk}").content.decode()
    assert "Event date and time" in html and 'type="datetime-local"' in html
    assert 'name="details-time"' not in html and ">Time<" not in html

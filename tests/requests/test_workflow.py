"""The request workflow: every legal transition applies and is recorded; every illegal one changes nothing."""

import threading

import pytest
from django.db import close_old_connections, connection

from requests.models import Feedback, RequestEvent, ServiceRequest, Status
from requests.workflow import TRANSITIONS, TransitionError, service_request_transition
from tests.factories import ServiceRequestFactory

LEGAL = [(src, dst) for src, targets in TRANSITIONS.items() for dst in targets]
ILLEGAL = [
    (src, dst) for src in Status.values for dst in Status.values if dst not in TRANSITIONS[src]
]


def test_the_table_is_the_designed_workflow():
    assert TRANSITIONS[Status.NEW] == (Status.ACKNOWLEDGED, Status.CANCELLED)
    assert set(TRANSITIONS[Status.IN_PROGRESS]) == {
        Status.WAITING_ON_CLIENT,
        Status.WAITING_ON_VENDOR,
        Status.FULFILLED,
        Status.CANCELLED,
    }
    assert TRANSITIONS[Status.WAITING_ON_CLIENT] == (Status.IN_PROGRESS, Status.CANCELLED)
    assert TRANSITIONS[Status.FULFILLED] == (Status.CLOSED,)
    assert TRANSITIONS[Status.CLOSED] == (Status.IN_PROGRESS,)  # reopened, with a reason
    assert TRANSITIONS[Status.CANCELLED] == ()
    open_states = [
        Status.NEW,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.WAITING_ON_CLIENT,
        Status.WAITING_ON_VENDOR,
    ]
    assert all(Status.CANCELLED in TRANSITIONS[s] for s in open_states)


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_every_legal_transition_applies_and_writes_an_event(db, concierge, source, target):
    service_request = ServiceRequestFactory(status=source)
    if target == Status.CLOSED:
        Feedback.objects.create(service_request=service_request, score=9)
    moved = service_request_transition(
        service_request_id=service_request.pk, to_status=target, by=concierge, note="a reason"
    )
    assert moved.status == target
    event = RequestEvent.objects.get(service_request=service_request, kind="transition")
    assert (event.from_value, event.to_value, event.by) == (source, target, concierge)


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(db, concierge, source, target):
    service_request = ServiceRequestFactory(status=source)
    with pytest.raises(TransitionError) as refused:
        service_request_transition(
            service_request_id=service_request.pk, to_status=target, by=concierge
        )
    assert "cannot become" in str(refused.value)
    service_request.refresh_from_db()
    assert service_request.status == source and service_request.version == 1
    assert not RequestEvent.objects.filter(service_request=service_request).exists()


def test_closing_needs_the_clients_feedback(db, concierge):
    service_request = ServiceRequestFactory(status=Status.FULFILLED)
    with pytest.raises(TransitionError, match="feedback"):
        service_request_transition(
            service_request_id=service_request.pk, to_status=Status.CLOSED, by=concierge
        )
    assert ServiceRequest.objects.get().status == Status.FULFILLED


def test_milestones_are_timestamped(db, concierge):
    service_request = ServiceRequestFactory(status=Status.NEW)
    for target in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.FULFILLED):
        service_request_transition(
            service_request_id=service_request.pk, to_status=target, by=concierge
        )
    service_request.refresh_from_db()
    assert service_request.acknowledged_at and service_request.fulfilled_at
    assert service_request.acknowledged_at <= service_request.fulfilled_at


def test_a_transition_from_a_state_the_concierge_did_not_see_is_refused(db, concierge, colleague):
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    service_request_transition(
        service_request_id=service_request.pk, to_status=Status.WAITING_ON_VENDOR, by=colleague
    )
    with pytest.raises(TransitionError, match="Someone else moved"):
        service_request_transition(
            service_request_id=service_request.pk,
            to_status=Status.WAITING_ON_CLIENT,
            by=concierge,
            expected_status=Status.IN_PROGRESS,
        )
    assert ServiceRequest.objects.get().status == Status.WAITING_ON_VENDOR


def test_an_unknown_status_is_refused(db, concierge):
    service_request = ServiceRequestFactory(status=Status.NEW)
    with pytest.raises(TransitionError, match="is not a status"):
        service_request_transition(
            service_request_id=service_request.pk, to_status="teleported", by=concierge
        )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writers"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_applies(concierge, colleague):
    service_request = ServiceRequestFactory(status=Status.IN_PROGRESS)
    barrier = threading.Barrier(2)
    outcomes = []

    def move(user, target):
        close_old_connections()
        try:
            barrier.wait()
            service_request_transition(
                service_request_id=service_request.pk,
                to_status=target,
                by=user,
                expected_status=Status.IN_PROGRESS,
            )
            outcomes.append(("applied", target))
        except TransitionError as refused:
            outcomes.append(("refused", str(refused)))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(concierge, Status.WAITING_ON_CLIENT)),
        threading.Thread(target=move, args=(colleague, Status.FULFILLED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    applied = [o for o in outcomes if o[0] == "applied"]
    refused = [o for o in outcomes if o[0] == "refused"]
    assert len(applied) == 1 and len(refused) == 1
    assert "Someone else moved" in refused[0][1]
    service_request.refresh_from_db()
    assert service_request.status == applied[0][1]
    assert (
        RequestEvent.objects.filter(service_request=service_request, kind="transition").count() == 1
    )

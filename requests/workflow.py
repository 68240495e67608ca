"""The request workflow: one table of legal transitions, applied under a row lock.

new → acknowledged → in_progress ⇄ waiting_on_client / waiting_on_vendor → fulfilled → closed,
and cancelled from any open state. Closing needs the client's feedback.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RequestEvent, ServiceRequest, Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.ACKNOWLEDGED, Status.CANCELLED),
    Status.ACKNOWLEDGED: (Status.IN_PROGRESS, Status.CANCELLED),
    Status.IN_PROGRESS: (
        Status.WAITING_ON_CLIENT,
        Status.WAITING_ON_VENDOR,
        Status.FULFILLED,
        Status.CANCELLED,
    ),
    Status.WAITING_ON_CLIENT: (Status.IN_PROGRESS, Status.CANCELLED),
    Status.WAITING_ON_VENDOR: (Status.IN_PROGRESS, Status.CANCELLED),
    Status.FULFILLED: (Status.CLOSED,),
    Status.CLOSED: (),
    Status.CANCELLED: (),
}

# The words on the buttons: what the concierge does, not the state it leads to.
ACTIONS = {
    Status.ACKNOWLEDGED: gettext_lazy("Acknowledge"),
    Status.IN_PROGRESS: gettext_lazy("Work on it"),
    Status.WAITING_ON_CLIENT: gettext_lazy("Wait for the client"),
    Status.WAITING_ON_VENDOR: gettext_lazy("Wait for a vendor"),
    Status.FULFILLED: gettext_lazy("Mark fulfilled"),
    Status.CLOSED: gettext_lazy("Close"),
    Status.CANCELLED: gettext_lazy("Cancel request"),
}

TIMESTAMPS = {
    Status.ACKNOWLEDGED: "acknowledged_at",
    Status.FULFILLED: "fulfilled_at",
    Status.CLOSED: "closed_at",
    Status.CANCELLED: "cancelled_at",
}


class TransitionError(Exception):
    """A transition that is not allowed now; the message says why, for the concierge."""


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    is_cancel: bool


def next_steps(service_request: ServiceRequest) -> list[Step]:
    return [
        Step(status, str(ACTIONS[status]), status == Status.CANCELLED)
        for status in TRANSITIONS[service_request.status]
    ]


def _label(status: str) -> str:
    return str(Status(status).label)


def check_transition(service_request: ServiceRequest, to_status: str) -> None:
    if to_status not in Status.values:
        raise TransitionError(_("“%(status)s” is not a status.") % {"status": to_status})
    if to_status not in TRANSITIONS[service_request.status]:
        raise TransitionError(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": _label(service_request.status), "target": _label(to_status)}
        )
    if to_status == Status.CLOSED and not hasattr(service_request, "feedback"):
        raise TransitionError(_("Record the client's feedback before closing the request."))


@transaction.atomic
def service_request_transition(
    *,
    service_request_id: int,
    to_status: str,
    by,
    expected_status: str | None = None,
    note: str = "",
) -> ServiceRequest:
    """Move a request to `to_status`, holding its row lock; writes a RequestEvent.

    `expected_status` is the status the concierge saw: if someone moved the request meanwhile, the
    second click is refused instead of applied to a state they did not see.
    """
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request_id)
    if expected_status and locked.status != expected_status:
        raise TransitionError(
            _("Someone else moved this request to “%(current)s” meanwhile. Nothing was changed.")
            % {"current": _label(locked.status)}
        )
    check_transition(locked, to_status)
    previous = locked.status
    locked.status = to_status
    if field := TIMESTAMPS.get(to_status):
        setattr(locked, field, timezone.now())
    locked.version += 1
    locked.save()
    RequestEvent.objects.create(
        service_request=locked,
        kind=RequestEvent.Kind.TRANSITION,
        from_value=previous,
        to_value=to_status,
        note=note,
        by=by,
    )
    return locked

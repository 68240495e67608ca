"""The request workflow: one table of legal transitions, applied under a row lock.

new → acknowledged → in_progress ⇄ waiting_on_client / waiting_on_vendor → fulfilled → closed,
and cancelled from any open state. Closing needs the client's feedback. A closed request is
read-only until it is reopened (back to in_progress), which needs a reason. Marking fulfilled or
closing with loose ends (open checklist items, a vendor still holding or quoting) is confirmed first.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RequestEvent, ServiceRequest, Status, VendorUse

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
    Status.CLOSED: (Status.IN_PROGRESS,),  # reopened, with a reason
    Status.CANCELLED: (),
}

# Transitions that need the concierge's reason in the event's note.
NEEDS_REASON = {(Status.CLOSED, Status.IN_PROGRESS)}

# Leaving these asks first when something is still open.
ASKS_ABOUT_LOOSE_ENDS = (Status.FULFILLED, Status.CLOSED)

# Statuses in which nothing is added to a request (checklist, vendors, comments).
READ_ONLY = (Status.CLOSED, Status.CANCELLED)

# Where a vendor engagement may go from each stage; every move is in the request's history.
VENDOR_MOVES: dict[str, tuple[str, ...]] = {
    VendorUse.Stage.ASKED: (
        VendorUse.Stage.QUOTED,
        VendorUse.Stage.HELD,
        VendorUse.Stage.BOOKED,
        VendorUse.Stage.CANCELLED,
    ),
    VendorUse.Stage.QUOTED: (
        VendorUse.Stage.HELD,
        VendorUse.Stage.BOOKED,
        VendorUse.Stage.RELEASED,
        VendorUse.Stage.CANCELLED,
    ),
    VendorUse.Stage.HELD: (
        VendorUse.Stage.BOOKED,
        VendorUse.Stage.RELEASED,
        VendorUse.Stage.CANCELLED,
    ),
    VendorUse.Stage.BOOKED: (VendorUse.Stage.RELEASED, VendorUse.Stage.CANCELLED),
    VendorUse.Stage.RELEASED: (VendorUse.Stage.HELD, VendorUse.Stage.BOOKED),
    VendorUse.Stage.CANCELLED: (VendorUse.Stage.BOOKED,),
}
PENDING_STAGES = (VendorUse.Stage.QUOTED, VendorUse.Stage.HELD)

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


class LooseEnds(TransitionError):
    """Marking fulfilled or closing while something is open: the concierge confirms first."""

    def __init__(self, service_request: ServiceRequest, to_status: str, ends: list[str]):
        self.service_request, self.to_status, self.ends = service_request, to_status, ends
        super().__init__(
            _("“%(title)s” still has open items: %(items)s. Confirm on the request's page.")
            % {"title": service_request.title, "items": "; ".join(ends)}
        )


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    is_cancel: bool
    needs_reason: bool = False


def next_steps(service_request: ServiceRequest) -> list[Step]:
    current = service_request.status
    return [
        Step(
            status,
            str(REOPEN if (current, status) in NEEDS_REASON else ACTIONS[status]),
            status == Status.CANCELLED,
            (current, status) in NEEDS_REASON,
        )
        for status in TRANSITIONS[current]
    ]


REOPEN = gettext_lazy("Reopen")


def loose_ends(service_request: ServiceRequest) -> list[str]:
    """What is still open on a request, in the concierge's words (read, not locked)."""
    ends = [
        _("to do: %(task)s") % {"task": item.text}
        for item in service_request.checklist.filter(done_at__isnull=True)
    ]
    for use in service_request.vendor_uses.filter(stage__in=PENDING_STAGES).select_related(
        "vendor"
    ):
        ends.append(
            _("%(vendor)s still %(stage)s")
            % {"vendor": use.vendor.name, "stage": use.get_stage_display().lower()}
        )
    return ends


def is_read_only(service_request: ServiceRequest) -> bool:
    return service_request.status in READ_ONLY


def check_writable(service_request: ServiceRequest) -> None:
    """Refuse additions to a closed or cancelled request (the services call it, not only the page)."""
    if is_read_only(service_request):
        raise TransitionError(
            _("This request is %(status)s: reopen it before changing it.")
            % {"status": _label(service_request.status).lower()}
        )


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


def _check_reason(previous: str, to_status: str, note: str) -> None:
    if (previous, to_status) in NEEDS_REASON and not note.strip():
        raise TransitionError(_("Say why the request is reopened."))


@transaction.atomic
def service_request_transition(
    *,
    service_request_id: int,
    to_status: str,
    by,
    expected_status: str | None = None,
    note: str = "",
    confirmed: bool = False,
) -> ServiceRequest:
    """Move a request to `to_status`, holding its row lock; writes a RequestEvent.

    `expected_status` is the status the concierge saw: if someone moved the request meanwhile, the
    second click is refused instead of applied to a state they did not see. Marking fulfilled or
    closing with loose ends raises LooseEnds unless `confirmed`.
    """
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request_id)
    if expected_status and locked.status != expected_status:
        raise TransitionError(
            _("Someone else moved this request to “%(current)s” meanwhile. Nothing was changed.")
            % {"current": _label(locked.status)}
        )
    check_transition(locked, to_status)
    previous = locked.status
    _check_reason(previous, to_status, note)
    if to_status in ASKS_ABOUT_LOOSE_ENDS and not confirmed and (ends := loose_ends(locked)):
        raise LooseEnds(locked, to_status, ends)
    locked.status = to_status
    if field := TIMESTAMPS.get(to_status):
        setattr(locked, field, timezone.now())
    if previous in READ_ONLY:
        setattr(locked, TIMESTAMPS[previous], None)  # reopened: no longer closed
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

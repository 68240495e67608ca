"""Writes to requests other than status changes (those are in workflow.py)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client
from concierge.accounts.models import User, away_now, stand_in_id
from concierge.common.conflicts import check_version

from . import sla
from .choices import OPEN_STATUSES
from .models import (
    ChecklistItem,
    Feedback,
    RequestEvent,
    ServiceRequest,
    Status,
    Vendor,
    VendorUse,
)
from .workflow import VENDOR_MOVES, TransitionError, check_writable


def _event(service_request, kind, *, by, note="", from_value="", to_value=""):
    return RequestEvent.objects.create(
        service_request=service_request,
        kind=kind,
        by=by,
        note=note,
        from_value=from_value,
        to_value=to_value,
    )


def _stand_in_for(client: Client, at):
    """The client's concierge, or whoever stands in for them while they are away."""
    if client.primary_concierge_id is None:
        return None
    acting = stand_in_id(away_now(at), client.primary_concierge_id, client.backup_concierge_id)
    if acting == client.primary_concierge_id:
        return client.primary_concierge
    return User.objects.get(pk=acting)


@transaction.atomic
def service_requests_reassign(*, client_ids: list[int], to: User, by) -> int:
    """Hand the clients' open requests to `to`, each with an assignment event (a fixed number of
    queries, however many requests)."""
    moving = list(
        ServiceRequest.objects.select_for_update(of=("self",))
        .filter(client_id__in=client_ids, status__in=OPEN_STATUSES)
        .exclude(assignee=to)
        .select_related("assignee")
    )
    if not moving:
        return 0
    now = timezone.now()
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(
                service_request=sr,
                kind=RequestEvent.Kind.ASSIGNMENT,
                by=by,
                from_value=sr.assignee.display_name if sr.assignee else "",
                to_value=to.display_name,
                at=now,
            )
            for sr in moving
        ]
    )
    return ServiceRequest.objects.filter(pk__in=[sr.pk for sr in moving]).update(
        assignee=to, version=F("version") + 1
    )


@transaction.atomic
def service_request_create(
    *,
    client: Client,
    by,
    title: str,
    category: str,
    priority: str = "normal",
    assignee=None,
    **fields,
) -> ServiceRequest:
    """A new request; the assignee defaults to the client's concierge, the SLA sets the dates."""
    now = timezone.now()
    service_request = ServiceRequest(
        client=client,
        title=title,
        category=category,
        priority=priority,
        assignee=assignee or _stand_in_for(client, now) or by,
        created_by=by,
        created_at=now,
        **fields,
    )
    service_request.acknowledge_by = sla.acknowledge_by(
        tier=client.tier, priority=priority, created_at=now, client=client
    )
    if service_request.due_at is None:
        service_request.due_at = sla.default_due(
            tier=client.tier,
            priority=priority,
            created_at=now,
            event_at=service_request.event_at,
            client=client,
        )
    service_request.save()
    _event(service_request, RequestEvent.Kind.CREATED, by=by, to_value=Status.NEW)
    return service_request


@transaction.atomic
def service_request_update(
    *, service_request: ServiceRequest, by, version: int | None, **changes
) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    check_version(locked, version)
    previous_assignee = locked.assignee
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name, value in changes.items():
        setattr(locked, name, value)
    if locked.due_at is None:
        locked.due_at = sla.default_due(
            tier=locked.client.tier,
            priority=locked.priority,
            created_at=locked.created_at,
            event_at=locked.event_at,
            client=locked.client,
        )
    if "priority" in changed:
        locked.acknowledge_by = sla.acknowledge_by(
            tier=locked.client.tier,
            priority=locked.priority,
            created_at=locked.created_at,
            client=locked.client,
        )
    locked.version += 1
    locked.save()
    if "assignee" in changed:
        _event(
            locked,
            RequestEvent.Kind.ASSIGNMENT,
            by=by,
            from_value=previous_assignee.display_name if previous_assignee else "",
            to_value=locked.assignee.display_name if locked.assignee else "",
        )
    other = [n for n in changed if n != "assignee"]
    if other:
        labels = ", ".join(str(ServiceRequest._meta.get_field(n).verbose_name) for n in other)
        _event(locked, RequestEvent.Kind.EDIT, by=by, note=labels)
    return locked


def _locked_writable(service_request: ServiceRequest) -> ServiceRequest:
    """Call inside a transaction: locks the request and refuses if it is closed or cancelled."""
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    check_writable(locked)
    return locked


@transaction.atomic
def comment_add(*, service_request: ServiceRequest, by: User | None, text: str) -> RequestEvent:
    locked = _locked_writable(service_request)
    return _event(locked, RequestEvent.Kind.COMMENT, by=by, note=text)


@transaction.atomic
def checklist_add(*, service_request: ServiceRequest, by: User | None, text: str) -> ChecklistItem:
    _locked_writable(service_request)
    last = (
        service_request.checklist.order_by("-position").values_list("position", flat=True).first()
        or 0
    )
    item = ChecklistItem.objects.create(
        service_request=service_request, text=text, position=last + 1
    )
    _event(service_request, RequestEvent.Kind.CHECKLIST, by=by, note=text, to_value="added")
    return item


@transaction.atomic
def checklist_toggle(*, item: ChecklistItem, by: User | None) -> ChecklistItem:
    _locked_writable(item.service_request)
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    locked.done_at, locked.done_by = (None, None) if locked.done else (timezone.now(), by)
    locked.save()
    _event(
        locked.service_request,
        RequestEvent.Kind.CHECKLIST,
        by=by,
        note=locked.text,
        to_value="done" if locked.done else "reopened",
    )
    return locked


@transaction.atomic
def vendor_use_save(*, vendor_use: VendorUse, by: User | None) -> VendorUse:
    _locked_writable(vendor_use.service_request)
    creating = vendor_use.pk is None
    vendor_use.save()
    cost = f"{vendor_use.cost} {vendor_use.currency}" if vendor_use.cost is not None else ""
    _event(
        vendor_use.service_request,
        RequestEvent.Kind.VENDOR,
        by=by,
        note=f"{vendor_use.vendor.name}: {vendor_use.get_stage_display()} {cost}".strip(),
        to_value="added" if creating else "changed",
    )
    return vendor_use


@transaction.atomic
def vendor_use_move(*, vendor_use: VendorUse, stage: str, by: User | None) -> VendorUse:
    """Quoted → held → booked, released or cancelled: one move, written in the history."""
    _locked_writable(vendor_use.service_request)
    locked = VendorUse.objects.select_for_update().select_related("vendor").get(pk=vendor_use.pk)
    if stage not in VENDOR_MOVES.get(locked.stage, ()):
        raise TransitionError(
            _("%(vendor)s cannot go from “%(current)s” to “%(target)s”.")
            % {
                "vendor": locked.vendor.name,
                "current": locked.get_stage_display(),
                "target": VendorUse.Stage(stage).label
                if stage in VendorUse.Stage.values
                else stage,
            }
        )
    previous = locked.stage
    locked.stage = stage
    locked.save(update_fields=["stage"])
    _event(
        locked.service_request,
        RequestEvent.Kind.VENDOR,
        by=by,
        note=locked.vendor.name,
        from_value=previous,
        to_value=stage,
    )
    return locked


@transaction.atomic
def vendor_use_delete(*, vendor_use: VendorUse, by: User | None) -> None:
    _locked_writable(vendor_use.service_request)
    _event(
        vendor_use.service_request,
        RequestEvent.Kind.VENDOR,
        by=by,
        note=vendor_use.vendor.name,
        to_value="removed",
    )
    vendor_use.delete()


@transaction.atomic
def feedback_record(
    *, service_request: ServiceRequest, by, score: int, words: str = ""
) -> Feedback:
    """The client's score and words, once the request is fulfilled and before it is closed."""
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    if locked.status != Status.FULFILLED:
        raise TransitionError(
            _("Feedback is recorded once the request is fulfilled, before it is closed.")
        )
    feedback, _created = Feedback.objects.update_or_create(
        service_request=locked,
        defaults={"score": score, "words": words, "recorded_by": by, "recorded_at": timezone.now()},
    )
    _event(locked, RequestEvent.Kind.FEEDBACK, by=by, to_value=str(score), note=words)
    return feedback


def vendor_save(*, vendor: Vendor, version: int | None, **fields) -> Vendor:
    """Creates a vendor, or changes one if nobody saved it since `version` (EditConflict)."""
    with transaction.atomic():
        if vendor.pk is None:
            locked = Vendor(**fields)
        else:
            locked = Vendor.objects.select_for_update().get(pk=vendor.pk)
            check_version(locked, version)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.version += 1
        locked.save()  # the history records who (HistoryRequestMiddleware), when and what
    return locked


VENDOR_TRACKED = ["name", "kind", "contact_name", "phone", "email", "notes"]


def vendor_changes(vendor: Vendor, limit: int = 20) -> list[dict]:
    """The latest changes to a vendor: who, when, and each field's old and new value."""
    records = list(
        vendor.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    if not records:  # a vendor created in bulk (the demo's) has no history recorded
        return []
    changes = []
    for record, previous in zip(records, records[1:] + [None], strict=True):
        if previous is None and record.history_type != "+":
            continue  # older than the changes shown
        if previous is None:
            fields = []
        else:
            fields = [
                (
                    Vendor._meta.get_field(name).verbose_name,
                    getattr(previous, name),
                    getattr(record, name),
                )
                for name in VENDOR_TRACKED
                if getattr(previous, name) != getattr(record, name)
            ]
            if not fields:
                continue
        who = record.history_user.display_name if record.history_user else ""
        changes.append(
            {
                "when": record.history_date,
                "who": who,
                "created": record.history_type == "+",
                "fields": fields,
            }
        )
    return changes[:limit]

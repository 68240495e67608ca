"""Who looks after a client: assigning clients (one or a thousand) to a concierge and a backup, and
moving them to the team's unassigned queue, on purpose only.

Clients are locked, changed in memory and written in bulk with a history row each (the manager as
history user), then `clients_reassigned` announces the change once for all of them, so that the upper
layers move reminders and hand over in a fixed number of queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .models import Client
from .signals import clients_reassigned

if TYPE_CHECKING:
    from concierge.accounts.models import User

BATCH = 500
FIELDS = ["primary_concierge", "backup_concierge", "team", "version"]
KEEP = object()  # the backup stays as it is


class AssignmentRefused(Exception):
    """The change would leave a client with nobody, or name someone who cannot take it."""


def _check_people(*, concierge, backup, by) -> None:
    if concierge is None:
        raise AssignmentRefused(
            _(
                "Choose a concierge. To leave clients without one, move them to the unassigned "
                "queue instead."
            )
        )
    for person in (concierge, backup):
        if person in (None, KEEP):
            continue
        if not person.is_active or (by.team_id and person.team_id != by.team_id):
            raise AssignmentRefused(_("%(name)s is not in your team.") % {"name": person})
    if backup is not KEEP and backup is not None and backup.pk == concierge.pk:
        raise AssignmentRefused(_("The backup must be someone other than the concierge."))


def _save(clients: list[Client], previous: dict, *, by, reason: str) -> list[Client]:
    changed = [
        c
        for c in clients
        if previous[c.pk] != (c.primary_concierge_id, c.backup_concierge_id, c.team_id)
    ]
    for client in changed:
        client.version += 1
    if changed:
        bulk_update_with_history(
            changed,
            Client,
            FIELDS,
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        clients_reassigned.send(
            sender=Client,
            clients=changed,
            previous={c.pk: previous[c.pk][:2] for c in changed},
            by=by,
        )
    return changed


@transaction.atomic
def clients_assign(
    *, client_ids: list[int], concierge: User, backup=KEEP, by: User
) -> list[Client]:
    """Give these clients to `concierge` (and `backup`, or keep each one's backup unless it is the new
    concierge, who then stops being their own backup). Returns the clients that changed.

    Call with ids the manager may see; the rows are locked here, in id order."""
    _check_people(concierge=concierge, backup=backup, by=by)
    clients = list(Client.objects.select_for_update().filter(pk__in=client_ids).order_by("pk"))
    previous = {c.pk: (c.primary_concierge_id, c.backup_concierge_id, c.team_id) for c in clients}
    for client in clients:
        # Promoting the backup: the former concierge becomes the backup, unless one is named.
        if backup is KEEP and client.backup_concierge_id == concierge.pk:
            client.backup_concierge_id = client.primary_concierge_id
        client.primary_concierge_id = concierge.pk
        if backup is not KEEP:
            client.backup_concierge_id = backup.pk if backup else None
        if client.backup_concierge_id == concierge.pk:
            client.backup_concierge_id = None
        client.team_id = concierge.team_id or client.team_id
    return _save(clients, previous, by=by, reason="assigned")


@transaction.atomic
def clients_unassign(*, client_ids: list[int], by: User) -> list[Client]:
    """Move these clients to their team's unassigned queue (no concierge, no backup): the explicit
    action, never the side effect of a form with both fields cleared."""
    clients = list(Client.objects.select_for_update().filter(pk__in=client_ids).order_by("pk"))
    previous = {c.pk: (c.primary_concierge_id, c.backup_concierge_id, c.team_id) for c in clients}
    for client in clients:
        client.primary_concierge_id = None
        client.backup_concierge_id = None
        client.team_id = client.team_id or by.team_id
    return _save(clients, previous, by=by, reason="moved to the unassigned queue")

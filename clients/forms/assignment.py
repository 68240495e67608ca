"""Assigning clients: one from its profile, or many from the list (managers only)."""

from django import forms
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from concierge.common.http import parse_id

from ..assignment import KEEP
from ..models import Client
from .portfolio import ConciergeChoiceField, team_concierges


class AssignAction(forms.ChoiceField):
    ASSIGN = "assign"
    UNASSIGN = "unassign"

    def __init__(self, **kwargs):
        super().__init__(
            choices=[
                (self.ASSIGN, _("Assign")),
                (self.UNASSIGN, _("Move to the unassigned queue")),
            ],
            required=False,
            **kwargs,
        )


class AssignForm(forms.Form):
    """Concierge and backup for one client; an empty backup means none. Clearing the concierge is
    refused: moving a client to the unassigned queue is its own button (`action=unassign`)."""

    ASSIGN = AssignAction.ASSIGN
    UNASSIGN = AssignAction.UNASSIGN

    concierge = ConciergeChoiceField(
        label=_("Concierge"), queryset=None, required=False, empty_label=_("Choose a concierge")
    )
    backup = ConciergeChoiceField(
        label=_("Backup concierge"), queryset=None, required=False, empty_label=_("No backup")
    )
    move_requests = forms.BooleanField(
        label=_("Also hand over the open requests"), required=False, initial=True
    )
    action = AssignAction()

    def __init__(self, *args, user, client=None, listed=None, **kwargs):
        """`listed`: the team's concierges when the page has read them already (the list's
        filters), shown as they are."""
        super().__init__(*args, **kwargs)
        self.client = client
        concierges = team_concierges(user)
        # Read once, when the form is shown, for both fields (validation still asks the database).
        if listed is None:
            listed = SimpleLazyObject(lambda: list(concierges))
        for name in ("concierge", "backup"):
            self.fields[name].queryset = concierges
            self.fields[name].listed = listed

    @property
    def unassigning(self) -> bool:
        return self.is_bound and self.data.get("action") == self.UNASSIGN

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.UNASSIGN:
            return cleaned
        concierge, backup = cleaned.get("concierge"), cleaned.get("backup")
        if concierge is None:
            self.add_error(
                "concierge",
                _(
                    "Choose a concierge. A client is never left with nobody by accident: to leave "
                    "them without one, use “Move to the unassigned queue”."
                ),
            )
        elif (
            self.client is not None
            and backup == concierge
            and concierge.pk == self.client.backup_concierge_id
        ):
            # The backup was promoted: the former concierge becomes the backup.
            cleaned["backup"] = self.client.primary_concierge
        elif backup is not None and backup == concierge:
            self.add_error("backup", _("The backup must be someone other than the concierge."))
        return cleaned

    def backup_choice(self):
        return self.cleaned_data.get("backup")


class ClientsTicked(forms.ModelMultipleChoiceField):
    """The clients ticked on the list, by id: an id that is no database id (past a 64-bit column)
    is refused as an unknown client is, before the database is asked (SQLite raised on it)."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class BulkAssignForm(AssignForm):
    """The same for the clients ticked on the list; an empty backup keeps each client's own."""

    clients = ClientsTicked(queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["clients"].queryset = Client.objects.visible_to(user)
        self.fields["backup"].empty_label = _("Keep each client’s backup")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("clients"):
            self.add_error("clients", _("Tick at least one client."))
        return cleaned

    def backup_choice(self):
        return self.cleaned_data.get("backup") or KEEP

"""Forms of the portfolio page: the search and filters, and the quick "new client" form."""

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concierge.common import compiled
from concierge.models import User

from .. import services
from ..models import Client, ContactPoint, Tag
from ..phones import to_e164

MINE_AS_PRIMARY = "primary"
MINE_AS_BACKUP = "backup"
UNASSIGNED = "unassigned"


def _concierges_of(team):
    return User.objects.filter(team_id=team, role=User.Role.CONCIERGE, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def team_concierges(user):
    return _concierges_of(user.team_id)


def listed_concierges(user) -> list[User]:
    """`team_concierges(user)` read through a query compiled once (building and compiling it cost
    a thousand Python calls on each of a manager's list pages)."""
    if user.team_id is None:  # no marker stands for a NULL
        return list(team_concierges(user))
    return compiled.objects(("team-concierges",), _concierges_of, {"team": user.team_id})


def tags_from_text(text: str) -> list[Tag]:
    """ "VIP, art collector, vip" → the two tags, reusing an existing tag whatever its case."""
    names: dict[str, str] = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())[:60]
        if name:
            names.setdefault(name.casefold(), name)
    tags = []
    for name in names.values():
        tag = Tag.objects.filter(name__iexact=name).first()
        tags.append(tag or Tag.objects.get_or_create(name=name)[0])
    return tags


class PortfolioFilterForm(forms.Form):
    """`?q=&tier=&concierge=&tag=`, all optional; an unknown tier or concierge is ignored."""

    q = forms.CharField(required=False)
    tier = forms.ChoiceField(required=False, choices=[("", _("All tiers")), *Client.Tier.choices])
    concierge = forms.ChoiceField(required=False)
    # A tag's name, matched within the visible clients: no need to list the tags to validate it.
    tag = forms.CharField(required=False, max_length=60)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        self.concierges = None  # the team's, read once for the page (the bulk form shows them too)
        if user.is_manager:
            self.concierges = listed_concierges(user)
            choices = [(str(c.pk), c.display_name) for c in self.concierges]
            self.fields["concierge"].choices = [
                ("", _("All concierges")),
                (UNASSIGNED, _("Unassigned queue")),
                *choices,
            ]
        else:
            self.fields["concierge"].choices = [
                ("", _("All my clients")),
                (MINE_AS_PRIMARY, _("Mine as concierge")),
                (MINE_AS_BACKUP, _("Mine as backup")),
            ]
        self.is_valid()

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name) or ""

    def filter(self, queryset):
        if tier := self.value("tier"):
            queryset = queryset.filter(tier=tier)
        if tag := self.value("tag"):
            queryset = queryset.filter(tags__name=tag)
        concierge = self.value("concierge")
        if concierge == MINE_AS_PRIMARY:
            queryset = queryset.filter(primary_concierge=self.user)
        elif concierge == MINE_AS_BACKUP:
            queryset = queryset.filter(backup_concierge=self.user)
        elif concierge == UNASSIGNED:
            queryset = queryset.unassigned()
        elif concierge:
            queryset = queryset.filter(
                Q(primary_concierge_id=concierge) | Q(backup_concierge_id=concierge)
            )
        return queryset

    def params(self) -> dict[str, str]:
        """The non-empty parameters, for links and the address bar."""
        values = {name: self.value(name) for name in ("q", "tier", "concierge", "tag")}
        return {name: value for name, value in values.items() if value}


class ListedChoices(forms.models.ModelChoiceIterator):
    """Choices from the field's `listed` concierges when a form shares them between its fields (a
    team has a handful): Django's iterator reads them again for each field, on PostgreSQL through
    a server-side cursor (DECLARE, FETCH, CLOSE)."""

    def _objects(self):
        return self.queryset if self.field.listed is None else self.field.listed

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._objects():
            yield self.choice(obj)

    def __len__(self):
        return len(self._objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._objects())


class ConciergeChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices
    listed = None  # the concierges as read once for the whole form, if it shares them

    def label_from_instance(self, obj):
        return obj.display_name


# A client's name, typed on a phone: capitals on each word, and not the concierge's own name offered.
NAME = {"autocomplete": "off", "autocapitalize": "words", "spellcheck": "false"}


class ClientCreateForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=120, widget=forms.TextInput(attrs=NAME)
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=120, widget=forms.TextInput(attrs=NAME)
    )
    preferred_name = forms.CharField(
        label=_("Preferred name"),
        max_length=120,
        required=False,
        help_text=_("How they like to be called."),
    )
    form_of_address = forms.CharField(
        label=_("Form of address"),
        max_length=120,
        required=False,
        help_text=_("e.g. “Madame la Présidente”"),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "placeholder": "+33 6 12 34 56 78"}
        ),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )
    tier = forms.ChoiceField(
        label=_("Tier"), choices=Client.Tier.choices, initial=Client.Tier.PREMIUM
    )
    tags_text = forms.CharField(
        label=_("Tags"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas, e.g. VIP, art collector"),
    )
    primary_concierge = ConciergeChoiceField(
        label=_("Concierge"), queryset=User.objects.none(), empty_label=_("Choose a concierge")
    )
    backup_concierge = ConciergeChoiceField(
        label=_("Backup concierge"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No backup"),
    )
    # Sent by the "Create anyway" button of the duplicate warning, never rendered as a field.
    create_anyway = forms.BooleanField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_manager:
            concierges = team_concierges(user)
            self.fields["primary_concierge"].queryset = concierges
            self.fields["backup_concierge"].queryset = concierges
        else:
            # A concierge creates clients for themselves; managers assign.
            del self.fields["primary_concierge"]
            del self.fields["backup_concierge"]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and to_e164(phone) is None:
            raise forms.ValidationError(
                _(
                    "“%(phone)s” is not a possible phone number. Check the digits and the country code."
                ),
                params={"phone": phone},
                code="invalid_phone",
            )
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        primary, backup = cleaned.get("primary_concierge"), cleaned.get("backup_concierge")
        if primary and backup and primary == backup:
            self.add_error(
                "backup_concierge", _("The backup must be someone other than the concierge.")
            )
        return cleaned

    def save(self, *, by) -> Client:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("first_name", "last_name", "preferred_name", "form_of_address", "tier")
        }
        if "primary_concierge" in self.fields:
            fields["primary_concierge"] = data["primary_concierge"]
            fields["backup_concierge"] = data["backup_concierge"]
        with transaction.atomic():
            client = services.client_create(by=by, tags=tags_from_text(data["tags_text"]), **fields)
            for kind, value in (
                (ContactPoint.Kind.PHONE, data["phone"]),
                (ContactPoint.Kind.EMAIL, data["email"]),
            ):
                if value:
                    point = ContactPoint(kind=kind, value=value, preferred=True)
                    services.client_part_save(client=client, part=point, version=None, by=by)
        return client

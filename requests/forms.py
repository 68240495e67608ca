from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clients.models import Relation
from clients.phones import to_e164
from concierge.models import User

from .models import Feedback, ServiceRequest, Vendor, VendorUse

CURRENCY = {"autocapitalize": "characters", "autocomplete": "off"}
DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def team_concierges(user, client):
    """Who may be assigned: those who may see the client (its concierges, the team's managers)."""
    ids = {client.primary_concierge_id, client.backup_concierge_id} - {None}
    if user.is_manager:
        ids.add(user.pk)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name")


FIRST_YEAR, LAST_YEAR = 1900, 9998


class ServiceRequestForm(forms.ModelForm):
    """A past event or due date is most often a typo in the year: the form says so, and saves it
    only once the concierge ticks "keep" (a confirmation step that works without JavaScript)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    past_ok = forms.BooleanField(
        label=_("Yes, keep the date in the past"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "title",
            "category",
            "on_behalf_of",
            "event_at",
            "due_at",
            "priority",
            "budget",
            "currency",
            "assignee",
            "notes",
        ]
        widgets = {
            "event_at": DATETIME_LOCAL,
            "due_at": DATETIME_LOCAL,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(
                attrs={"placeholder": _("e.g. Table for four at Le Cinq, Saturday")}
            ),
        }
        help_texts = {"due_at": _("Leave empty: the service level sets it.")}
        labels = {"event_at": _("Event date and time")}

    def __init__(self, *args, client, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["on_behalf_of"].queryset = Relation.objects.filter(client=client)
        self.fields["on_behalf_of"].empty_label = _("The client")
        self.fields["assignee"].queryset = team_concierges(user, client)
        self.fields["assignee"].empty_label = _("The client's concierge")
        self.fields["currency"].widget.attrs.update(size=3, maxlength=3, **CURRENCY)
        self.fields["budget"].widget.attrs.update(inputmode="decimal")
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("requests:details-fields"),
                "hx-target": "#details-fields",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
            }
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    ESSENTIAL = ("title", "category", "event_at")
    NOT_SAVED = ("version", "past_ok")

    def essential_fields(self):
        fields = [self[name] for name in self.ESSENTIAL]
        if self.past_dates:
            fields.append(self["past_ok"])
        return fields

    def more_fields(self):
        return [
            field
            for field in self.visible_fields()
            if field.name not in self.ESSENTIAL and field.name != "past_ok"
        ]

    past_dates: list[str] = []

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("A currency is three letters, e.g. EUR."))
        return currency

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget

    def clean(self):
        cleaned = super().clean()
        for name in ("event_at", "due_at"):
            # The ends of the calendar (year 1 seen from Paris is before the first UTC day) cannot
            # be shown in local time: a typo in the year, refused before anything reads it.
            when = cleaned.get(name)
            if when and not (FIRST_YEAR <= when.year <= LAST_YEAR):
                self.add_error(name, _("Check the year: pick a date between 1900 and 9998."))
                cleaned.pop(name, None)
        event_at, due_at = cleaned.get("event_at"), cleaned.get("due_at")
        if event_at and due_at and due_at > event_at:
            self.add_error("due_at", _("The request must be done before the event itself."))
        self._warn_past_dates(cleaned)
        return cleaned

    def _warn_past_dates(self, cleaned):
        now = timezone.now()
        self.past_dates = [
            name
            for name in ("event_at", "due_at")
            if cleaned.get(name)
            and cleaned[name] < now
            and cleaned[name] != getattr(self.instance, name)  # an old date kept as it was
            and name not in self.errors
        ]
        if not self.past_dates or cleaned.get("past_ok"):
            return
        for name in self.past_dates:
            self.add_error(
                name,
                _("%(when)s is in the past. Check the year, or tick “keep” to save it as it is.")
                % {"when": timezone.localtime(cleaned[name]).strftime("%d/%m/%Y %H:%M")},
            )
        self.fields["past_ok"].widget = forms.CheckboxInput()


class TransitionForm(forms.Form):
    to = forms.CharField()
    expected = forms.CharField(required=False)
    note = forms.CharField(required=False, max_length=500)
    confirmed = forms.BooleanField(required=False)  # "yes, with these items still open"


class VendorStageForm(forms.Form):
    stage = forms.ChoiceField(choices=VendorUse.Stage.choices)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChecklistForm(forms.Form):
    text = forms.CharField(label=_("Task"), max_length=200)


class VendorUseForm(forms.ModelForm):
    new_vendor = forms.CharField(label=_("or a new vendor"), max_length=160, required=False)
    new_vendor_kind = forms.ChoiceField(
        label=_("kind"), choices=Vendor.Kind.choices, required=False
    )

    class Meta:
        model = VendorUse
        fields = ["vendor", "what", "stage", "cost", "currency", "expires_at"]
        widgets = {
            "expires_at": DATETIME_LOCAL,
            "cost": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            "currency": forms.TextInput(attrs={"size": 3, "maxlength": 3, **CURRENCY}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].required = False
        self.fields["vendor"].queryset = Vendor.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("vendor") and not cleaned.get("new_vendor"):
            self.add_error("vendor", _("Choose a vendor or name a new one."))
        cost = cleaned.get("cost")
        if cost is not None and cost < 0:
            self.add_error("cost", _("A cost cannot be negative."))
        return cleaned

    def save_vendor(self):
        if not self.cleaned_data.get("vendor"):
            vendor, _created = Vendor.objects.get_or_create(
                name=self.cleaned_data["new_vendor"].strip(),
                defaults={"kind": self.cleaned_data.get("new_vendor_kind") or Vendor.Kind.OTHER},
            )
            self.instance.vendor = vendor
        return self.instance


def blank_vendor_fields(currency: str) -> str:
    """The fields of an empty VendorUseForm, as HTML: rendering its widgets cost more than the rest
    of the request's page. Kept per process, keyed by what they show (the directory as read now,
    the language, the currency), so a new or renamed vendor is there at once."""
    vendors = tuple(Vendor.objects.order_by("name").values_list("pk", "name"))
    return _vendor_fields(vendors, get_language(), currency)


@lru_cache(maxsize=16)
def _vendor_fields(vendors: tuple, language: str, currency: str) -> str:
    form = VendorUseForm(initial={"currency": currency})
    field = form.fields["vendor"]
    field.widget.choices = [("", field.empty_label), *vendors]
    return render_to_string("_form_fields.html", {"form": form})


class FeedbackForm(forms.ModelForm):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ["score", "words"]
        widgets = {
            "words": forms.Textarea(
                attrs={
                    "rows": 2,
                    "class": "input",
                    "placeholder": _("What the client said, in their words"),
                }
            )
        }


class VendorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Vendor
        fields = ["name", "kind", "contact_name", "phone", "email", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Vendor.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("A vendor with this name exists already."))
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not to_e164(phone):
            raise forms.ValidationError(_("“%(value)s” is not a phone number.") % {"value": phone})
        return phone

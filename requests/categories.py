"""What each category of request carries in its details (stored in ServiceRequest.details)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category


def _int(label, **kw):
    return forms.IntegerField(label=label, min_value=1, max_value=500, required=False, **kw)


def _text(label, **kw):
    return forms.CharField(label=label, max_length=200, required=False, **kw)


def _date(label):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


DETAIL_FIELDS = {
    Category.DINING: lambda: {
        # The hour is the request's own event date and time, not a detail of its own.
        "party_size": _int(_("Party size")),
        "venue": _text(_("Venue")),
        "occasion": _text(_("Occasion")),
    },
    Category.TRAVEL: lambda: {
        "travellers": _int(_("Travellers")),
        "destination": _text(_("Destination")),
        "depart_on": _date(_("Departure")),
        "return_on": _date(_("Return")),
        "documents": _text(_("Documents needed"), help_text=_("Passports, visas, ESTA…")),
    },
    Category.EVENTS: lambda: {
        "seats": _int(_("Seats")),
        "event_name": _text(_("Event")),
        "venue": _text(_("Venue")),
    },
    Category.GIFTS: lambda: {
        "recipient": _text(_("Recipient")),
        "occasion": _text(_("Occasion")),
        "deliver_to": _text(_("Deliver to")),
    },
    Category.HOTELS: lambda: {
        "guests": _int(_("Guests")),
        "city": _text(_("City")),
        "check_in": _date(_("Check-in")),
        "check_out": _date(_("Check-out")),
    },
    Category.TRANSPORT: lambda: {
        "passengers": _int(_("Passengers")),
        "pickup": _text(_("Pick-up")),
        "dropoff": _text(_("Drop-off")),
    },
    Category.WELLNESS: lambda: {"treatment": _text(_("Treatment")), "venue": _text(_("Venue"))},
    Category.OTHER: lambda: {},
}


class DetailsForm(forms.Form):
    """The category's own fields, prefixed so they sit beside the request form's."""

    prefix = "details"

    def __init__(self, *args, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(DETAIL_FIELDS.get(category, DETAIL_FIELDS[Category.OTHER])())

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("depart_on") or cleaned.get("check_in")
        end = cleaned.get("return_on") or cleaned.get("check_out")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return cleaned

    def details(self) -> dict:
        """JSON-safe values, empty ones left out."""
        return {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.cleaned_data.items()
            if v not in (None, "")
        }


def detail_items(service_request) -> list[tuple[str, object]]:
    """(label, value) pairs of a request's details, in the category's order."""
    fields = DETAIL_FIELDS.get(service_request.category, DETAIL_FIELDS[Category.OTHER])()
    return [
        (str(field.label), service_request.details[name])
        for name, field in fields.items()
        if service_request.details.get(name) not in (None, "")
    ]

"""Forms of the client profile's sections. Each carries the version it was opened at."""

import datetime

import filetype
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..images import PhotoRefused, reencoded_photo
from ..models import Client, ContactPoint, ImportantDate, Interaction, Preference, Relation, Tag
from ..phones import to_e164

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class IdentityForm(VersionedForm):
    tags_text = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas, e.g. VIP, art collector")
    )

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "form_of_address",
            "pronunciation",
            "languages",
            "tier",
            "status",
            "photo",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "photo": forms.FileInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags_text"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            if photo.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("The photo is larger than 5 MB."))
            kind = filetype.guess(photo.read(2048))
            photo.seek(0)
            if kind is None or kind.mime not in PHOTO_TYPES:
                raise forms.ValidationError(_("The photo must be a JPEG, PNG, WebP or GIF image."))
            try:
                # Only the pixels are kept, under a name of ours: never the uploaded bytes or name.
                photo = reencoded_photo(photo)
            except PhotoRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return photo

    def tags(self) -> list[Tag]:
        names = {n.strip() for n in self.cleaned_data.get("tags_text", "").split(",") if n.strip()}
        return [Tag.objects.get_or_create(name=name[:60])[0] for name in sorted(names)]


class ClientPartForm(VersionedForm):
    """A part that may belong to a member of the household: the choice is limited to this client's."""

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        if "relation" in self.fields:
            self.fields["relation"].queryset = Relation.objects.filter(client=client)
            self.fields["relation"].empty_label = _("The client")


class ContactPointForm(ClientPartForm):
    class Meta:
        model = ContactPoint
        fields = ["kind", "value", "label", "best_times", "preferred"]

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), (cleaned.get("value") or "").strip()
        if (
            kind in (ContactPoint.Kind.PHONE, ContactPoint.Kind.MESSAGING)
            and value
            and not to_e164(value)
        ):
            self.add_error("value", _("“%(value)s” is not a phone number.") % {"value": value})
        if kind == ContactPoint.Kind.EMAIL and value:
            try:
                forms.EmailField().clean(value)
            except forms.ValidationError:
                self.add_error(
                    "value", _("“%(value)s” is not an email address.") % {"value": value}
                )
        return cleaned


FAR_AHEAD_YEARS = 10  # a date further ahead than this is a typo in the year (9999, 2205)


def birth_date_error(day: datetime.date | None) -> str | None:
    """Why a birth date cannot be right, or None: nobody is born tomorrow."""
    if day is not None and day > timezone.localdate():
        return _("A birth date cannot be in the future.")
    return None


class RelationForm(ClientPartForm):
    class Meta:
        model = Relation
        fields = ["kind", "name", "birthday", "phone", "notes"]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_birthday(self):
        birthday = self.cleaned_data.get("birthday")
        if error := birth_date_error(birthday):
            raise forms.ValidationError(error)
        return birthday


class ImportantDateForm(ClientPartForm):
    class Meta:
        model = ImportantDate
        fields = ["kind", "label", "date", "yearly", "relation"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day is None:
            return cleaned
        if cleaned.get("kind") == ImportantDate.Kind.BIRTHDAY:
            if error := birth_date_error(day):
                self.add_error("date", error)
        elif day.year > timezone.localdate().year + FAR_AHEAD_YEARS:
            self.add_error(
                "date", _("%(year)s is too far ahead: check the year.") % {"year": day.year}
            )
        return cleaned


class PreferenceForm(ClientPartForm):
    class Meta:
        model = Preference
        fields = ["kind", "category", "detail", "severity", "source", "relation"]

    def clean(self):
        cleaned = super().clean()
        # An allergy or a "never" is never a mere note: it drives the banner and vendor briefs.
        if (
            cleaned.get("kind") in Preference.HARD_KINDS
            and cleaned.get("severity") == Preference.Severity.NOTE
        ):
            cleaned["severity"] = Preference.Severity.IMPORTANT
        return cleaned


class InteractionForm(forms.ModelForm):
    """The quick log: a channel, a direction, a few words; when, if it was not just now."""

    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Interaction
        fields = ["channel", "direction", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

    def clean_occurred_at(self):
        when = self.cleaned_data.get("occurred_at")
        # A minute of slack: the clock of the phone and the server's are never quite the same.
        if when and when > timezone.now() + datetime.timedelta(minutes=1):
            raise forms.ValidationError(_("A call cannot be logged in the future."))
        return when

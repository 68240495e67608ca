"""Forms of the client profile's sections. Each carries the version it was opened at."""

import uuid

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from concierge.models import User

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
            "primary_concierge",
            "backup_concierge",
            "photo",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "photo": forms.FileInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_manager:
            team_concierges = User.objects.filter(
                team_id=user.team_id, is_active=True, role=User.Role.CONCIERGE
            ).order_by("first_name")
            for name in ("primary_concierge", "backup_concierge"):
                self.fields[name].queryset = team_concierges
                self.fields[name].label_from_instance = lambda member: member.display_name
        else:
            # Only managers assign clients to concierges.
            del self.fields["primary_concierge"]
            del self.fields["backup_concierge"]
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
            # Never keep the uploaded name: "photo.html" with image magic bytes must not be served as HTML.
            photo.name = f"{uuid.uuid4().hex}.{kind.extension}"
        return photo

    def clean(self):
        cleaned = super().clean()
        primary, backup = cleaned.get("primary_concierge"), cleaned.get("backup_concierge")
        before = self.instance
        if (
            primary
            and primary == backup
            and backup.pk == before.backup_concierge_id
            and primary.pk != before.primary_concierge_id
        ):
            # The backup was promoted: the former concierge becomes the backup.
            backup = cleaned["backup_concierge"] = before.primary_concierge
        if primary and backup and primary == backup:
            self.add_error(
                "backup_concierge", _("The backup must be someone other than the concierge.")
            )
        return cleaned

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


class RelationForm(ClientPartForm):
    class Meta:
        model = Relation
        fields = ["kind", "name", "birthday", "phone", "notes"]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ImportantDateForm(ClientPartForm):
    class Meta:
        model = ImportantDate
        fields = ["kind", "label", "date", "yearly", "relation"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


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
    class Meta:
        model = Interaction
        fields = ["channel", "direction", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}

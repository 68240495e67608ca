from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import importing
from ..search import fold


def team_concierges(user):
    User = get_user_model()
    if not user.is_manager or user.team_id is None:
        return User.objects.none()
    return User.objects.filter(
        team_id=user.team_id, role=User.Role.CONCIERGE, is_active=True
    ).order_by("first_name", "last_name", "username")


class ConciergeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A .csv or .vcf file, 2 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.vcf,.vcard,text/csv,text/vcard"}),
    )
    primary_concierge = ConciergeChoiceField(
        label=gettext_lazy("Concierge of the imported clients"),
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Choose a concierge of your team"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_manager:
            self.fields["primary_concierge"].queryset = team_concierges(user)
        else:
            del self.fields["primary_concierge"]
        self.parsed = None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.parsed = importing.read_upload(uploaded)
        except importing.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return uploaded

    def concierge(self):
        return self.cleaned_data.get("primary_concierge") or self.user


class EraseForm(forms.Form):
    confirmation = forms.CharField(
        label=gettext_lazy("Type the client's last name to confirm"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy(
            "Kept in the erasure log, e.g. “Request by email of 3 May”. Do not write the client's name."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"]
        if fold(typed) != fold(self.client.last_name):
            raise forms.ValidationError(
                _("That is not the client's last name: nothing was erased.")
            )
        return typed

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import needs as services
from ..models import AnticipatedNeed, Category

MAX_LEAD_DAYS = 365


MAX_INTERVAL_DAYS = 3650


class NeedForm(forms.ModelForm):
    title = forms.CharField(
        label=gettext_lazy("What"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. February ski trip")}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=[("", "—"), *Category.choices], required=False
    )
    recurrence = forms.ChoiceField(
        label=gettext_lazy("How often"),
        choices=[
            (AnticipatedNeed.Recurrence.ONCE, gettext_lazy("One-off")),
            (AnticipatedNeed.Recurrence.YEARLY, gettext_lazy("Every year")),
            (AnticipatedNeed.Recurrence.MONTHLY, gettext_lazy("Every month")),
            (AnticipatedNeed.Recurrence.INTERVAL, gettext_lazy("Every N days")),
        ],
    )
    interval_days = forms.IntegerField(
        label=gettext_lazy("Every (days)"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_DAYS,
        help_text=gettext_lazy("Only for “every N days”."),
    )
    next_on = forms.DateField(
        label=gettext_lazy("Next date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    lead_days = forms.IntegerField(
        label=gettext_lazy("Remind (days before)"), min_value=0, max_value=MAX_LEAD_DAYS, initial=14
    )
    # The version the form was opened at: a stale edit is a conflict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnticipatedNeed
        fields = list(services.EDITABLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        recurrence = cleaned.get("recurrence")
        if recurrence == AnticipatedNeed.Recurrence.INTERVAL:
            if not cleaned.get("interval_days"):
                self.add_error("interval_days", _("Say every how many days."))
        else:
            cleaned["interval_days"] = None
        next_on = cleaned.get("next_on")
        if (
            recurrence == AnticipatedNeed.Recurrence.ONCE
            and next_on
            and next_on < timezone.localdate()
        ):
            self.add_error("next_on", _("A one-off need is in the future."))
        return cleaned

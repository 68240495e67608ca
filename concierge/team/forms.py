"""Forms of the manager's side: an absence and its stand-in."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms.portfolio import ConciergeChoiceField, team_concierges

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


class AbsenceForm(forms.Form):
    user = ConciergeChoiceField(label=_("Who is away"), queryset=None)
    starts_at = forms.DateTimeField(
        label=_("From"), widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )
    ends_at = forms.DateTimeField(
        label=_("Back on"), widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )
    stand_in = ConciergeChoiceField(
        label=_("Stand-in"),
        queryset=None,
        required=False,
        empty_label=_("Each client’s backup concierge"),
        help_text=_("Their reminders and new requests go to the stand-in until they are back."),
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        concierges = team_concierges(manager)
        self.fields["user"].queryset = concierges
        self.fields["stand_in"].queryset = concierges
        if not self.is_bound:
            today = timezone.localdate()
            start = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(8))
            self.initial.setdefault("starts_at", start)
            self.initial.setdefault("ends_at", start + datetime.timedelta(days=7))

    def _within_reach(self, name):
        # Also keeps out the ends of the calendar (year 1 in Paris is before the first UTC day).
        when = self.cleaned_data.get(name)
        today = timezone.localdate()
        if when and not (today.year - 1 <= when.year <= today.year + 5):
            raise forms.ValidationError(_("Pick a date from last year to five years ahead."))
        return when

    def clean_starts_at(self):
        return self._within_reach("starts_at")

    def clean_ends_at(self):
        return self._within_reach("ends_at")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The return must come after the start."))
        user, stand_in = cleaned.get("user"), cleaned.get("stand_in")
        if user and stand_in and user == stand_in:
            self.add_error("stand_in", _("Choose a colleague, not the person who is away."))
        return cleaned

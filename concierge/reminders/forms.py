import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from clients.search import search_clients
from concierge.common.http import parse_id

from .models import TierPolicy

QUICK_AT = datetime.time(10, 0)  # quick choices prompt at 10:00, the concierge's time
CLIENT_MATCHES_SHOWN = 20  # the client menu lists the matches of what was typed, never all
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def quick_choices(tz, now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """Tomorrow 10:00, the day after at 10:00 (named by its weekday), and the same day next week."""
    today = (now or timezone.now()).astimezone(tz).date()
    choices = []
    for days in (1, 2, 7):
        day = today + datetime.timedelta(days=days)
        moment = datetime.datetime.combine(day, QUICK_AT)
        time = formats.time_format(QUICK_AT, "H:i")
        if days == 1:
            label = _("Tomorrow %(time)s") % {"time": time}
        elif days == 2:
            label = f"{formats.date_format(day, 'l')} {time}"
        else:
            label = _("Next %(weekday)s") % {"weekday": formats.date_format(day, "l")}
        choices.append((moment.strftime(LOCAL_INPUT), capfirst(label)))
    return choices


class ReminderForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What"), max_length=200)
    when = forms.CharField(required=False, widget=forms.HiddenInput)
    due_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    client_q = forms.CharField(label=gettext_lazy("Find a client"), required=False, max_length=200)
    client = forms.ModelChoiceField(
        label=gettext_lazy("Client"),
        queryset=Client.objects.none(),
        required=False,
        empty_label=gettext_lazy("No client"),
    )

    def __init__(self, *args, user, fixed_client=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.fixed_client = user, fixed_client
        self.now = now or timezone.now()
        self.tz = user.tzinfo
        self.quick = quick_choices(self.tz, self.now)
        self.fields["title"].widget.attrs.update(
            {"placeholder": _("e.g. Call back about the villa"), "autocomplete": "off"}
        )
        if not self.is_bound and not self.initial.get("when"):
            self.initial["when"] = self.quick[0][0]
        client_field = self.fields["client"]
        if fixed_client is not None:
            del self.fields["client"], self.fields["client_q"]
        else:
            # Validation accepts any client the user may see; the menu lists only the chosen one
            # and the matches of what was typed (fetched as they type, or by the "Find" button).
            # An empty form asks nothing of the clients: the rule is built for what it will read.
            source = self.data if self.is_bound else self.initial
            if self.is_bound or source.get("client_q") or source.get("client"):
                visible = Client.objects.visible_to(user)
                client_field.queryset = visible
                menu = self._client_menu(visible)
            else:
                menu = []
            self.fields["client_q"].widget.attrs.update(
                {"placeholder": _("Name, email or phone"), "autocomplete": "off"}
            )
            client_field.widget.choices = [("", client_field.empty_label)] + [
                (c.pk, c.display_name) for c in menu
            ]

    def _client_menu(self, visible) -> list[Client]:
        source = self.data if self.is_bound else self.initial
        query = (source.get("client_q") or "").strip()
        chosen = parse_id(str(source.get("client") or ""))
        shown = []
        if chosen is not None:
            shown = list(visible.filter(pk=chosen))
        if query:
            matches = search_clients(visible, query).order_by("sort_name", "id")
            shown += [c for c in matches[:CLIENT_MATCHES_SHOWN] if c not in shown]
        return shown

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when") or "custom"
        if when == "custom":
            due = cleaned.get("due_at")
            if due is None and "due_at" not in self.errors:
                self.add_error("due_at", _("Pick a day and a time."))
                return cleaned
        else:
            try:
                naive = datetime.datetime.strptime(when, LOCAL_INPUT)
            except ValueError:
                self.add_error("due_at", _("Pick a day and a time."))
                return cleaned
            due = timezone.make_aware(naive, self.tz)
        if due is None:
            return cleaned
        if due < self.now - datetime.timedelta(minutes=1):
            self.add_error("due_at", _("That moment has passed: pick a time to come."))
        elif due > self.now + datetime.timedelta(days=5 * 366):
            self.add_error("due_at", _("Pick a time within the next five years."))
        cleaned["due"] = due
        return cleaned


POLICY_RANGES = {
    "birthday_lead_days": (0, 90),
    "date_lead_days": (0, 90),
    "contact_cadence_days": (1, 365),
    "follow_up_hours": (1, 336),
    "acknowledge_minutes": (5, 2880),
    "deliver_hours": (1, 720),
}


class TierPolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TierPolicy
        fields = list(POLICY_RANGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version if self.instance.pk else 0
        for name, (low, high) in POLICY_RANGES.items():
            label = self.fields[name].label
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=low,
                max_value=high,
                help_text=_("From %(low)s to %(high)s.") % {"low": low, "high": high},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

"""Forms of what is captured on the phone: a quick note (the recording is VoiceNoteUploadForm)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class CaptureFields(forms.Form):
    """The browser's idempotency key and the moment the capture was taken (it may arrive later)."""

    capture_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    taken_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)


class QuickNoteForm(CaptureFields):
    summary = forms.CharField(
        label=_("Quick note"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "autocomplete": "off",
                "autocapitalize": "sentences",
                "enterkeyhint": "done",
                "placeholder": _("What you want to remember about the client…"),
            }
        ),
        error_messages={"required": _("Write the note first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A form posted twice without JavaScript (a double tap, a resend) is kept once too.
            self.initial.setdefault("capture_key", uuid.uuid4())

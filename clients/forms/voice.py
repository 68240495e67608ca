"""Forms of voice notes: the upload (checked further by clients.audio) and the transcript."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import VoiceNote
from .capture import CaptureFields


class VoiceNoteUploadForm(CaptureFields):
    audio = forms.FileField(
        label=_("Recording"),
        error_messages={
            "required": _("Choose or record a sound file first."),
            "empty": _("The recording is empty. Record again, or choose another file."),
        },
    )
    purpose = forms.ChoiceField(choices=VoiceNote.Purpose.choices, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=VoiceNote.Language.choices, required=False
    )
    interaction = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # "toast": the capture page wants only the message, not the profile's timeline.
    answer = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty files are refused by clients.audio with the same message, and nothing is stored.
        self.fields["audio"].allow_empty_file = True

    def clean_purpose(self):
        return self.cleaned_data.get("purpose") or VoiceNote.Purpose.NOTE

    def clean_language(self):
        # Unsaid: the language the concierge reads the interface in.
        spoken = self.cleaned_data.get("language") or get_language() or "en"
        spoken = spoken.split("-")[0]
        return spoken if spoken in VoiceNote.Language.values else VoiceNote.Language.ENGLISH


class TranscriptForm(forms.Form):
    transcript = forms.CharField(
        label=_("Transcript"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

"""The client record's forms, by the screens that use them."""

from .assignment import AssignForm, BulkAssignForm
from .capture import QuickNoteForm
from .data import EraseForm, ImportForm
from .needs import NeedForm
from .portfolio import ClientCreateForm, PortfolioFilterForm
from .profile import (
    ContactPointForm,
    IdentityForm,
    ImportantDateForm,
    InteractionForm,
    PreferenceForm,
    RelationForm,
)
from .voice import TranscriptForm, VoiceNoteUploadForm

__all__ = [
    "AssignForm",
    "BulkAssignForm",
    "ClientCreateForm",
    "ContactPointForm",
    "EraseForm",
    "IdentityForm",
    "ImportForm",
    "ImportantDateForm",
    "InteractionForm",
    "NeedForm",
    "PortfolioFilterForm",
    "PreferenceForm",
    "QuickNoteForm",
    "RelationForm",
    "TranscriptForm",
    "VoiceNoteUploadForm",
]

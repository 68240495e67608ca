from .access import AccessLog
from .client import NOBODY, Client, ClientDataQuerySet, ClientQuerySet, Tag, client_access
from .needs import AnticipatedNeed
from .profile import ContactPoint, ImportantDate, Interaction, Preference, Relation
from .records import ClientErasure, ClientMerge, ImportConfirmation
from .vocabulary import Category
from .voice import VoiceNote

__all__ = [
    "NOBODY",
    "AccessLog",
    "AnticipatedNeed",
    "Category",
    "Client",
    "ClientErasure",
    "ClientDataQuerySet",
    "ClientMerge",
    "ClientQuerySet",
    "ContactPoint",
    "ImportConfirmation",
    "ImportantDate",
    "Interaction",
    "Preference",
    "Relation",
    "Tag",
    "VoiceNote",
    "client_access",
]

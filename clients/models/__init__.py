from .client import Client, ClientQuerySet, Tag
from .needs import AnticipatedNeed
from .profile import ContactPoint, ImportantDate, Interaction, Preference, Relation
from .records import ClientErasure, ClientMerge

__all__ = [
    "AnticipatedNeed",
    "Client",
    "ClientErasure",
    "ClientMerge",
    "ClientQuerySet",
    "ContactPoint",
    "ImportantDate",
    "Interaction",
    "Preference",
    "Relation",
    "Tag",
]

from .client import Client, ClientQuerySet, Tag
from .profile import ContactPoint, ImportantDate, Interaction, Preference, Relation
from .records import ClientErasure, ClientMerge

__all__ = [
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

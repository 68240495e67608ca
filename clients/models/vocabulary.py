from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """One vocabulary for what a client likes, needs and asks for: preferences, anticipated needs
    and requests are filed under the same categories."""

    DINING = "dining", _("Dining")
    TRAVEL = "travel", _("Travel")
    HOTELS = "hotels", _("Hotels")
    EVENTS = "events", _("Events & tickets")
    GIFTS = "gifts", _("Gifts")
    TRANSPORT = "transport", _("Chauffeur & transport")
    WELLNESS = "wellness", _("Wellness")
    FASHION = "fashion", _("Fashion")
    ARTS = "arts", _("Arts & culture")
    OTHER = "other", _("Other")

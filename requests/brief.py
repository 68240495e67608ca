"""The vendor brief: what a restaurant or a driver needs to know, and nothing they must not.

Left out on purpose: the client's contact details, budget, internal notes, the household's private
notes, preferences of other categories, and "never" preferences (they can name other vendors).
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clients.models import Preference

from .categories import detail_items
from .models import Category

# Which preference categories matter to the vendor of a request category.
RELEVANT = {
    Category.DINING: {Preference.Category.DINING},
    Category.TRAVEL: {Preference.Category.TRAVEL, Preference.Category.DINING},
    Category.HOTELS: {
        Preference.Category.HOTELS,
        Preference.Category.WELLNESS,
        Preference.Category.DINING,
    },
    Category.EVENTS: {Preference.Category.ARTS},
    Category.GIFTS: {Preference.Category.GIFTS, Preference.Category.FASHION},
    Category.TRANSPORT: {Preference.Category.TRAVEL},
    Category.WELLNESS: {Preference.Category.WELLNESS},
}
# Allergies travel with the client wherever food may be served.
FOOD_CATEGORIES = {Category.DINING, Category.TRAVEL, Category.HOTELS, Category.EVENTS}


def vendor_brief(service_request, preferences) -> str:
    client = service_request.client
    guest = (
        f"{client.form_of_address} {client.last_name}".strip()
        if client.form_of_address
        else client.display_name
    )
    lines = [service_request.title, _("Guest: %(name)s") % {"name": guest}]
    if service_request.on_behalf_of:
        lines.append(_("Booked for: %(name)s") % {"name": service_request.on_behalf_of.name})
    if service_request.event_at:
        lines.append(
            _("When: %(when)s")
            % {
                "when": formats.date_format(
                    timezone.localtime(service_request.event_at), "D j M, H:i"
                )
            }
        )
    lines += [
        _("%(label)s: %(value)s") % {"label": label, "value": value}
        for label, value in detail_items(service_request)
    ]
    relevant = RELEVANT.get(service_request.category, set())
    allergies = [p for p in preferences if p.kind == Preference.Kind.ALLERGY]
    if service_request.category in FOOD_CATEGORIES and allergies:
        lines.append("")
        lines.append(_("Allergies (please take every precaution):"))
        lines += [
            f"- {p.detail}" + (f" ({p.relation.name})" if p.relation_id else "") for p in allergies
        ]
    wishes = [
        p
        for p in preferences
        if p.category in relevant and p.kind in (Preference.Kind.LIKE, Preference.Kind.DISLIKE)
    ]
    if wishes:
        lines.append("")
        lines.append(_("Preferences:"))
        lines += [
            "- " + _("%(label)s: %(value)s") % {"label": p.get_kind_display(), "value": p.detail}
            for p in wishes
        ]
    return "\n".join(lines)

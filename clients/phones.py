"""Phone numbers are stored in E.164 so that a caller is recognised however the number was typed."""

import re

import phonenumbers
from django.conf import settings

PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{6,}$")


def default_region() -> str:
    return settings.PHONE_DEFAULT_REGION


def to_e164(raw: str, region: str | None = None) -> str | None:
    """The E.164 form of a typed number, or None when it is not a possible phone number."""
    try:
        number = phonenumbers.parse(raw, region or default_region())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    return bool(PHONE_LIKE.match(text.strip())) and sum(c.isdigit() for c in text) >= 6


def pretty(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

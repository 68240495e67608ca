"""The rows read from an import file, the rules every row must pass, and the limits of an import."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Client, ContactPoint, Tag
from ..phones import to_e164

MAX_BYTES = 2 * 1024 * 1024
# One import is one transaction and one preview page: past this, split the file.
MAX_ROWS = 1000
# A year-less birthday (vCard "--0423") is stored in this leap year, as Apple Contacts does;
# ImportantDate treats any year before 1900 as unknown.
NO_YEAR = 1604

CSV_EXTENSIONS = (".csv", ".txt")
VCARD_EXTENSIONS = (".vcf", ".vcard")

COLUMNS = (
    "first_name",
    "last_name",
    "preferred_name",
    "form_of_address",
    "tier",
    "phone",
    "email",
    "tags",
    "notes",
    "birthday",
)
REQUIRED_COLUMNS = ("first_name", "last_name")
MULTI_VALUE = re.compile(r"\s*[;|]\s*")
MAX_LENGTHS = {
    name: Client._meta.get_field(name).max_length
    for name in ("first_name", "last_name", "preferred_name", "form_of_address")
}
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
VALUE_MAX_LENGTH = ContactPoint._meta.get_field("value").max_length


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing in it can be imported."""


def field_label(name: str) -> str:
    return {
        "first_name": _("first name"),
        "last_name": _("last name"),
        "preferred_name": _("preferred name"),
        "form_of_address": _("form of address"),
    }.get(name, name)


@dataclass
class ParsedRow:
    """One client read from the file, with the problems that stop it from being imported."""

    number: int
    is_card: bool = False
    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    form_of_address: str = ""
    tier: str = Client.Tier.PREMIUM.value
    notes: str = ""
    phones: list = field(default_factory=list)  # [{"value", "label", "preferred"}]
    emails: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    birthday: str = ""  # ISO date; the year is NO_YEAR when unknown
    problems: list = field(default_factory=list)

    @property
    def where(self) -> str:
        if self.is_card:
            return _("card %(number)d") % {"number": self.number}
        return _("row %(number)d") % {"number": self.number}

    @property
    def errors(self) -> list[str]:
        return [
            _("%(where)s: %(problem)s") % {"where": self.where, "problem": problem}
            for problem in self.problems
        ]

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}".strip()

    @property
    def tier_label(self) -> str:
        return Client.Tier(self.tier).label if self.tier in Client.Tier.values else self.tier

    @property
    def birthday_date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.birthday) if self.birthday else None

    @property
    def birthday_has_year(self) -> bool:
        return bool(self.birthday) and self.birthday_date.year != NO_YEAR

    def payload(self) -> dict:
        """What is kept server-side between the preview and the confirmation (JSON-safe)."""
        return {
            "number": self.number,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "preferred_name": self.preferred_name,
            "form_of_address": self.form_of_address,
            "tier": self.tier,
            "notes": self.notes,
            "phones": self.phones,
            "emails": self.emails,
            "addresses": self.addresses,
            "tags": self.tags,
            "birthday": self.birthday,
        }


@dataclass
class ParsedFile:
    name: str
    kind: str  # "csv" or "vcard"
    rows: list[ParsedRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # harmless: e.g. columns that are ignored

    @property
    def error_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.problems]

    @property
    def errors(self) -> list[str]:
        return [message for row in self.rows for message in row.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def payload(self) -> list[dict]:
        return [row.payload() for row in self.rows]


def year_less(month: str, day: str) -> datetime.date | None:
    try:
        return datetime.date(NO_YEAR, int(month), int(day))
    except ValueError:
        return None


def checked_birthday(
    row: ParsedRow, raw: str, date: datetime.date | None, formats: str = "YYYY-MM-DD"
) -> str:
    """`formats` names what the file type accepts, so that the error says how to write it."""
    if date is None:
        row.problems.append(
            _("birthday '%(value)s' is not a date (write it as %(formats)s)")
            % {"value": raw, "formats": formats}
        )
        return ""
    if date > timezone.localdate():
        row.problems.append(_("birthday '%(value)s' is in the future") % {"value": raw})
        return ""
    return date.isoformat()


def validate_row(row: ParsedRow) -> None:
    """Add the row's problems: missing or overlong names, phones and emails that are not."""
    for name in ("first_name", "last_name"):
        if not getattr(row, name):
            row.problems.append(_("%(field)s is missing") % {"field": field_label(name)})
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(row, name)) > limit:
            row.problems.append(
                _("%(field)s is longer than %(max)d characters")
                % {"field": field_label(name), "max": limit}
            )
    for phone in row.phones:
        if len(phone["value"]) > VALUE_MAX_LENGTH or to_e164(phone["value"]) is None:
            row.problems.append(_("'%(value)s' is not a phone number") % {"value": phone["value"]})
    for email in row.emails:
        try:
            validate_email(email["value"])
        except ValidationError:
            row.problems.append(
                _("'%(value)s' is not an email address") % {"value": email["value"]}
            )
    for address in row.addresses:
        if len(address["value"]) > VALUE_MAX_LENGTH:
            row.problems.append(
                _("the address is longer than %(max)d characters") % {"max": VALUE_MAX_LENGTH}
            )
    tags, seen = [], set()
    for tag in row.tags:
        if len(tag) > TAG_MAX_LENGTH:
            row.problems.append(
                _("tag '%(value)s' is longer than %(max)d characters")
                % {"value": tag[:20] + "…", "max": TAG_MAX_LENGTH}
            )
        elif tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    row.tags = tags

"""CSV files: a header row naming the columns, then one client per row."""

import csv
import datetime
import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Client
from ..search import fold
from .rows import (
    COLUMNS,
    MAX_ROWS,
    MULTI_VALUE,
    REQUIRED_COLUMNS,
    ImportFileError,
    ParsedFile,
    ParsedRow,
    checked_birthday,
    validate_row,
    year_less,
)

# Column names as spreadsheets write them, in French and English (compared without accents, case,
# spaces or hyphens): "Prénom", "Nom de famille", "Courriel", "E-mail", "Date de naissance"…
HEADER_ALIASES = {
    "prenom": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "nom": "last_name",
    "nom_de_famille": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "nom_usuel": "preferred_name",
    "prenom_usuel": "preferred_name",
    "surnom": "preferred_name",
    "nickname": "preferred_name",
    "civilite": "form_of_address",
    "formule_d_appel": "form_of_address",
    "formule_de_politesse": "form_of_address",
    "appellation": "form_of_address",
    "title": "form_of_address",
    "niveau": "tier",
    "categorie": "tier",
    "telephone": "phone",
    "tel": "phone",
    "portable": "phone",
    "mobile": "phone",
    "phone_number": "phone",
    "telephones": "phone",
    "courriel": "email",
    "e_mail": "email",
    "mail": "email",
    "adresse_e_mail": "email",
    "adresse_mail": "email",
    "adresse_electronique": "email",
    "email_address": "email",
    "etiquettes": "tags",
    "etiquette": "tags",
    "mots_cles": "tags",
    "tag": "tags",
    "remarques": "notes",
    "commentaire": "notes",
    "commentaires": "notes",
    "note": "notes",
    "date_de_naissance": "birthday",
    "naissance": "birthday",
    "anniversaire": "birthday",
    "date_of_birth": "birthday",
    "birth_date": "birthday",
    "birthdate": "birthday",
    "dob": "birthday",
}
DELIMITERS = (",", ";", "\t")


def _header_key(cell: str) -> str:
    key = re.sub(r"[\s\-'’.]+", "_", fold(cell.strip().strip('"'))).strip("_")
    return HEADER_ALIASES.get(key, key)


def _sniff_delimiter(text: str) -> str:
    sample = text[:8192]
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=first_line.count)
    # The header must name the required columns: if the sniffed delimiter does not split it so,
    # another one may (a notes column full of commas can mislead the sniffer).
    for candidate in (delimiter, *DELIMITERS):
        keys = {_header_key(c) for c in first_line.split(candidate)}
        if set(REQUIRED_COLUMNS) <= keys:
            return candidate
    return delimiter


def parse_csv(text: str, *, name: str = "") -> ParsedFile:
    parsed = ParsedFile(name=name, kind="csv")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        keys = [_header_key(cell) for cell in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in keys]
        if missing:
            raise ImportFileError(
                ngettext(
                    "The first row must name the columns, and it has no %(missing)s column. "
                    "Expected: %(expected)s. Found: %(found)s.",
                    "The first row must name the columns, and it has no %(missing)s columns. "
                    "Expected: %(expected)s. Found: %(found)s.",
                    len(missing),
                )
                % {
                    "missing": _(" or ").join(missing),
                    "expected": ", ".join(COLUMNS),
                    "found": ", ".join(c.strip() for c in header if c.strip())[:200] or "—",
                }
            )
        repeated = sorted({key for key in keys if key and keys.count(key) > 1})
        if repeated:
            raise ImportFileError(
                _("The column %(column)s appears twice in the header row.")
                % {"column": ", ".join(repeated)}
            )
        ignored = [
            cell.strip() for cell, key in zip(header, keys, strict=True) if key not in COLUMNS
        ]
        ignored = [cell for cell in ignored if cell]
        if ignored:
            parsed.notices.append(
                _("These columns are not known and will be ignored: %(columns)s.")
                % {"columns": ", ".join(ignored)}
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            row = ParsedRow(number=len(parsed.rows) + 2)
            if len(cells) > len(keys) and any(cell.strip() for cell in cells[len(keys) :]):
                row.problems.append(
                    _("it has %(cells)d values but the header has %(columns)d columns")
                    % {"cells": len(cells), "columns": len(keys)}
                )
            values = {
                key: cell.strip() for key, cell in zip(keys, cells, strict=False) if key in COLUMNS
            }
            _fill_from_csv(row, values)
            parsed.rows.append(row)
            if len(parsed.rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)d clients. Split it and import each part.")
                    % {"max": MAX_ROWS}
                )
    except csv.Error as error:
        raise ImportFileError(
            _("The file cannot be read as CSV near row %(row)d (%(error)s).")
            % {"row": len(parsed.rows) + 2, "error": error}
        ) from None
    if not parsed.rows:
        raise ImportFileError(_("The file has a header row but no clients in it."))
    return parsed


def _fill_from_csv(row: ParsedRow, values: dict) -> None:
    for name in ("first_name", "last_name", "preferred_name", "form_of_address", "notes"):
        setattr(row, name, values.get(name, ""))
    row.phones = [
        {"value": value, "label": "", "preferred": False} for value in _split(values.get("phone"))
    ]
    row.emails = [
        {"value": value, "label": "", "preferred": False} for value in _split(values.get("email"))
    ]
    row.tags = _split(values.get("tags"))
    validate_row(row)
    row.tier = _tier(row, values.get("tier", ""))
    if values.get("birthday"):
        row.birthday = _csv_date(row, values["birthday"])


def _split(value: str | None) -> list[str]:
    return [part for part in MULTI_VALUE.split(value or "") if part]


def _tier(row: ParsedRow, value: str) -> str:
    if not value:
        return Client.Tier.PREMIUM.value
    for choice, label in Client.Tier.choices:
        if value.casefold() in (choice, str(label).casefold()):
            return choice
    row.problems.append(
        _("tier '%(value)s' is not one of %(choices)s")
        % {"value": value, "choices": ", ".join(Client.Tier.values)}
    )
    return Client.Tier.PREMIUM.value


def _csv_date(row: ParsedRow, value: str) -> str:
    date = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            date = datetime.datetime.strptime(value, pattern).date()
            break
        except ValueError:
            continue
    if date is None:
        match = re.fullmatch(r"--(\d\d)-?(\d\d)", value)
        date = year_less(match.group(1), match.group(2)) if match else None
    return checked_birthday(row, value, date, _("DD/MM/YYYY or YYYY-MM-DD"))


def csv_template() -> str:
    """The example file offered on the import page (with a BOM, so that Excel reads the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "Éloïse",
            "d'Harcourt",
            "Élo",
            "Madame la Présidente",
            "private",
            "+33 6 12 34 56 78",
            "eloise@example.com",
            "Art;Gastronomy",
            "Prefers a call after 6 pm",
            "1975-04-23",
        ]
    )
    writer.writerow(
        [
            "James",
            "Whitmore",
            "Jim",
            "",
            "premium",
            "+44 20 7946 0958|06 98 76 54 32",
            "james.whitmore@example.com",
            "Golf",
            "",
            "",
        ]
    )
    return "\ufeff" + out.getvalue()

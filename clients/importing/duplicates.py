"""Rows of an import that may be clients already known, or the same person twice in the file."""

from dataclasses import dataclass, field

from ..duplicates import SIMILAR_NAME, find_duplicates, name_similarity
from ..phones import to_e164
from ..search import fold
from .rows import ParsedRow


@dataclass
class RowDuplicates:
    existing: list = field(default_factory=list)  # Client records the user can see
    in_file: list = field(default_factory=list)  # earlier rows of the same file

    def __bool__(self):
        return bool(self.existing or self.in_file)


def find_import_duplicates(rows: list[ParsedRow], *, queryset) -> dict[int, RowDuplicates]:
    """For each row number: the visible clients it may duplicate, and earlier rows of the file."""
    found: dict[int, RowDuplicates] = {}
    by_contact: dict[str, ParsedRow] = {}
    by_surname: dict[str, list[ParsedRow]] = {}
    for row in rows:
        duplicates = RowDuplicates()
        if row.last_name:
            duplicates.existing = find_duplicates(
                queryset=queryset,
                first_name=row.first_name,
                last_name=row.last_name,
                phones=[p["value"] for p in row.phones],
                emails=[e["value"] for e in row.emails],
            )
        keys = {to_e164(p["value"]) for p in row.phones} - {None}
        keys |= {e["value"].strip().lower() for e in row.emails}
        earlier = {by_contact[key].number: by_contact[key] for key in keys if key in by_contact}
        surname = fold(row.last_name).replace(" ", "")
        full_name = f"{row.first_name} {row.last_name}"
        for other in by_surname.get(surname, ()) if surname else ():
            if name_similarity(full_name, f"{other.first_name} {other.last_name}") >= SIMILAR_NAME:
                earlier[other.number] = other
        duplicates.in_file = sorted(earlier.values(), key=lambda r: r.number)
        if duplicates:
            found[row.number] = duplicates
        for key in keys:
            by_contact.setdefault(key, row)
        if surname:
            by_surname.setdefault(surname, []).append(row)
    return found

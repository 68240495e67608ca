"""vCard files (2.1, 3.0, 4.0): a small parser for the properties a client record uses.

Lines are unfolded (a leading space or tab continues the line before), values unescaped (\\n, \\, \\;),
quoted-printable values of vCard 2.1 decoded; photos and other binary values are skipped.
"""

import codecs
import datetime
import quopri
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concierge.common.text import without_control_characters

from .rows import (
    MAX_ROWS,
    ImportFileError,
    ParsedFile,
    ParsedRow,
    checked_birthday,
    validate_row,
    year_less,
)

PHONE_LABELS = {
    "cell": gettext_lazy("mobile"),
    "mobile": gettext_lazy("mobile"),
    "iphone": gettext_lazy("mobile"),
    "work": gettext_lazy("office"),
    "home": gettext_lazy("home"),
}
OTHER_LABELS = {"work": gettext_lazy("work"), "home": gettext_lazy("home")}
# Codecs that Python lists as text encodings but that encode host names, not a card's text.
NOT_TEXT = {"idna", "punycode", "undefined"}


@dataclass
class ContentLine:
    name: str
    params: dict  # upper-case name -> list of values (TYPE values lower-case)
    value: str

    @property
    def types(self) -> set[str]:
        return {t.lower() for value in self.params.get("TYPE", ()) for t in value.split(",")}

    @property
    def is_preferred(self) -> bool:
        return "pref" in self.types or "PREF" in self.params


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    if '"' not in text:
        return text.split(separator)
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _split_escaped(text: str, separator: str) -> list[str]:
    """Split on `separator` where it is not escaped by a backslash; unescape each part."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(char)
    parts.append(unescape("".join(current)))
    return parts


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text).strip()


def unfold(text: str) -> list[str]:
    """Logical lines: a line that starts with a space or a tab continues the one before it.

    vCard 2.1 quoted-printable values continue on the next line after a trailing '='. Pieces are
    joined once at the end, and the line's head (name and parameters, before its first colon) is
    read piece by piece as it grows, so a line folded over many lines is read in linear time.
    """
    logical: list[list[str]] = []
    head_done = quoted = False  # of the last logical line, the only one that can still grow
    head_tail = ""  # the end of its head so far: enough to see a parameter split by a fold

    def read_head(piece: str) -> None:
        nonlocal head_done, quoted, head_tail
        if head_done:
            return
        before, colon, _ = piece.partition(":")
        seen = (head_tail + before).upper()
        quoted = quoted or "QUOTED-PRINTABLE" in seen
        head_tail = seen[-len("QUOTED-PRINTABLE") :]
        head_done = bool(colon)

    for line in re.split(r"\r\n|\r|\n", text):
        if logical and line[:1] in (" ", "\t"):
            logical[-1].append(line[1:])
            read_head(line[1:])
        elif logical and quoted and logical[-1][-1].endswith("="):
            logical[-1][-1] = logical[-1][-1][:-1]
            logical[-1].append(line)
            read_head(line)
        else:
            logical.append([line])
            head_done = quoted = False
            head_tail = ""
            read_head(line)
    lines = ("".join(pieces) for pieces in logical)
    return [line for line in lines if line.strip()]


def decode_charset(data: bytes, charset: str) -> str:
    """A quoted-printable value's bytes in the card's CHARSET; ImportFileError when that is not a
    text encoding Python can read (idna and punycode are codecs for host names, not text)."""
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError, TypeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or info.name in NOT_TEXT:
        raise ImportFileError(
            _(
                "A value is in the character set “%(charset)s”, which cannot be read. Export the "
                "cards in UTF-8 and upload them again."
            )
            % {"charset": charset[:40]}
        )
    try:
        return data.decode(info.name, errors="replace")
    except (UnicodeError, ValueError, TypeError, LookupError):
        raise ImportFileError(
            _(
                "A value in the character set “%(charset)s” cannot be read. Export the cards in "
                "UTF-8 and upload them again."
            )
            % {"charset": charset[:40]}
        ) from None


def parse_content_line(line: str) -> ContentLine | None:
    head_and_value = _split_outside_quotes(line, ":")
    if len(head_and_value) < 2:
        return None
    head, value = head_and_value[0], ":".join(head_and_value[1:])
    parts = _split_outside_quotes(head, ";")
    name = parts[0].strip().upper().rsplit(".", 1)[-1]  # drop a group prefix ("item1.TEL")
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, raw = part.partition("=")
        if not sep:  # vCard 2.1 bare parameter: TEL;CELL;PREF:…
            key, raw = (
                ("ENCODING", part)
                if part.upper() in ("QUOTED-PRINTABLE", "BASE64")
                else ("TYPE", part)
            )
        values = [v.strip().strip('"') for v in _split_outside_quotes(raw, ",")]
        params.setdefault(key.strip().upper(), []).extend(values)
    encoding = {v.upper() for v in params.get("ENCODING", ())}
    if "QUOTED-PRINTABLE" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0] or "utf-8"
        decoded = decode_charset(quopri.decodestring(value.encode("utf-8")), charset)
        value = without_control_characters(decoded)  # "=00" decodes to a NUL
    elif encoding & {"B", "BASE64"}:
        return ContentLine(name=name, params=params, value="")  # photos, sounds: not imported
    return ContentLine(name=name, params=params, value=value)


def parse_vcards(text: str, *, name: str = "") -> ParsedFile:
    parsed = ParsedFile(name=name, kind="vcard")
    card: list[ContentLine] | None = None
    for line in unfold(text):
        content = parse_content_line(line)
        if content is None:
            continue
        if content.name == "BEGIN" and content.value.strip().upper() == "VCARD":
            if card is not None:
                raise ImportFileError(
                    _("Card %(number)d has no END:VCARD before the next card begins.")
                    % {"number": len(parsed.rows) + 1}
                )
            card = []
        elif content.name == "END" and content.value.strip().upper() == "VCARD":
            if card is None:
                continue
            parsed.rows.append(_row_from_card(card, number=len(parsed.rows) + 1))
            card = None
            if len(parsed.rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)d clients. Split it and import each part.")
                    % {"max": MAX_ROWS}
                )
        elif card is not None:
            card.append(content)
    if card is not None:
        raise ImportFileError(
            _("Card %(number)d is not finished: END:VCARD is missing.")
            % {"number": len(parsed.rows) + 1}
        )
    if not parsed.rows:
        raise ImportFileError(_("The file has no vCard in it."))
    return parsed


def _row_from_card(lines: list[ContentLine], *, number: int) -> ParsedRow:
    row = ParsedRow(number=number, is_card=True)
    by_name: dict[str, list[ContentLine]] = {}
    for line in lines:
        by_name.setdefault(line.name, []).append(line)

    if by_name.get("N"):
        parts = [*_split_escaped(by_name["N"][0].value, ";"), "", "", "", "", ""]
        family, given, additional, prefix = (p.replace(",", " ").strip() for p in parts[:4])
        row.last_name = family
        row.first_name = " ".join(p for p in (given, additional) if p)
        row.form_of_address = prefix
    if (not row.first_name or not row.last_name) and by_name.get("FN"):
        full = unescape(by_name["FN"][0].value)
        words = full.split()
        if not row.first_name and not row.last_name and len(words) > 1:
            row.first_name, row.last_name = " ".join(words[:-1]), words[-1]
        elif not row.last_name and len(words) == 1:
            row.last_name = full
    if by_name.get("NICKNAME"):
        row.preferred_name = _split_escaped(by_name["NICKNAME"][0].value, ",")[0]

    for line in by_name.get("TEL", ()):
        value = unescape(line.value)
        value = value[4:] if value.lower().startswith("tel:") else value
        if value:
            label = next((str(PHONE_LABELS[t]) for t in line.types if t in PHONE_LABELS), "")
            row.phones.append({"value": value, "label": label, "preferred": line.is_preferred})
    for line in by_name.get("EMAIL", ()):
        value = unescape(line.value)
        value = value[7:] if value.lower().startswith("mailto:") else value
        if value:
            label = next((str(OTHER_LABELS[t]) for t in line.types if t in OTHER_LABELS), "")
            row.emails.append({"value": value, "label": label, "preferred": line.is_preferred})
    for line in by_name.get("ADR", ()):
        parts = [*_split_escaped(line.value, ";"), *[""] * 7]
        _po_box, extended, street, locality, region, code, country = parts[:7]
        town = " ".join(p for p in (code, locality) if p)
        value = ", ".join(
            p.replace("\n", ", ") for p in (street, extended, town, region, country) if p
        )
        if value:
            label = next((str(OTHER_LABELS[t]) for t in line.types if t in OTHER_LABELS), "")
            row.addresses.append({"value": value, "label": label, "preferred": line.is_preferred})

    row.notes = "\n\n".join(unescape(line.value) for line in by_name.get("NOTE", ()) if line.value)
    row.tags = [
        tag
        for line in by_name.get("CATEGORIES", ())
        for tag in _split_escaped(line.value, ",")
        if tag
    ]
    validate_row(row)
    if by_name.get("BDAY"):
        row.birthday = _vcard_date(row, by_name["BDAY"][0])
    return row


def _vcard_date(row: ParsedRow, line: ContentLine) -> str:
    raw = line.value.strip()
    value = raw.split("T", 1)[0] if "T" in raw[4:] else raw
    date = None
    if match := re.fullmatch(r"(\d{4})-?(\d\d)-?(\d\d)", value):
        try:
            date = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            date = None
        omit = (line.params.get("X-APPLE-OMIT-YEAR") or [""])[0]
        if date and omit and omit == match.group(1):
            date = year_less(match.group(2), match.group(3))
    elif match := re.fullmatch(r"--(\d\d)-?(\d\d)", value):
        date = year_less(*match.groups())
    return checked_birthday(row, raw, date)

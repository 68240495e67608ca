"""Reading an uploaded file: its size, its type and its encoding, then the right parser."""

import filetype
from django.utils.translation import gettext as _

from .csvfile import parse_csv
from .rows import CSV_EXTENSIONS, MAX_BYTES, VCARD_EXTENSIONS, ImportFileError, ParsedFile
from .vcard import parse_vcards


def read_upload(uploaded) -> ParsedFile:
    """Parse an uploaded CSV or vCard file; raises ImportFileError when the file cannot be read."""
    name = uploaded.name or ""
    lower = name.lower()
    if not lower.endswith(CSV_EXTENSIONS + VCARD_EXTENSIONS):
        extension = lower.rsplit(".", 1)[-1] if "." in lower else ""
        raise ImportFileError(
            _("Only .csv and .vcf files can be imported; this file is “.%(extension)s”.")
            % {"extension": extension}
            if extension
            else _("Only .csv and .vcf files can be imported; this file has no extension.")
        )
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size).1f MB; at most 2 MB can be imported at once. Split it.")
            % {"size": uploaded.size / 1024 / 1024}
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB. Split it and import each part."))
    text = decode_text(data)
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        return parse_vcards(text, name=name)
    if lower.endswith(VCARD_EXTENSIONS):
        raise ImportFileError(
            _("This .vcf file does not start with BEGIN:VCARD: it is not a vCard.")
        )
    return parse_csv(text, name=name)


# What spreadsheets write: Excel's "CSV UTF-8" (with a BOM), "Unicode text" (UTF-16, tabs),
# and plain "CSV" in the machine's code page (Windows-1252 in France). Latin-1 reads any byte left.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # A half character at the end or a lone surrogate is shown as �, as without the mark.
        return data.decode("utf-16", errors="replace")
    if len(data) > 3 and data[1::2].count(0) > len(data) // 4:  # UTF-16 without its mark
        return data.decode("utf-16-le" if data[1] == 0 else "utf-16-be", errors="replace")
    if b"\x00" in data:
        raise ImportFileError(_("This file is binary data, not a CSV or vCard text file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte order mark), UTF-16, or Windows-1252."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    kind = filetype.guess(data[:8192])
    if kind is not None:
        raise ImportFileError(
            _(
                "This file is not a CSV or vCard file: its content is %(type)s (%(mime)s). "
                "Export your clients as CSV or vCard and upload that file."
            )
            % {"type": kind.extension.upper(), "mime": kind.mime}
        )
    text = _decode(data)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t")
    if controls > max(3, len(text) // 200):
        raise ImportFileError(_("This file is binary data, not a CSV or vCard text file."))
    return text

"""Imports read with every charset Python knows, and every way of folding a line in linear
time (issue 16): work counted in interpreted steps, not timed, so a loaded machine changes
nothing."""

import encodings.aliases
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clients.importing import ImportFileError
from clients.importing.vcard import parse_vcards, unfold
from clients.models import Client

EVERY_CHARSET = sorted(
    set(encodings.aliases.aliases)
    | set(encodings.aliases.aliases.values())
    | {"utf-8", "x-mac-roman", "", "-", "utf-7", "undefined", "unicode_escape", "zlib", "hex"}
)


def test_a_vcard_in_every_charset_is_read_or_refused_clearly():
    read = refused = 0
    for charset in EVERY_CHARSET:
        card = (
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\n"
            f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET={charset}:caf=E9 =FF=00=80\r\n"
            "END:VCARD\r\n"
        )
        try:
            parsed = parse_vcards(card, name="cards.vcf")
        except ImportFileError as refusal:
            assert "cannot be read" in str(refusal), charset
            refused += 1
        else:
            assert len(parsed.rows) == 1, charset
            read += 1
    assert read > 80 and refused > 5, (read, refused)


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfeA",  # a UTF-16 mark, then half a character
        b"\xfe\xff\xd8\x00\x00A",  # a UTF-16 mark, then a lone surrogate
        b"\xff\xfe" + "BEGIN:VCARD\r\nN:Doe;Jane\r\nEND:VCARD\r\n".encode("utf-16-le") + b"\x00",
    ],
)
def test_a_broken_utf16_file_is_previewed_or_refused_clearly(concierge_client, content):
    upload = SimpleUploadedFile("cards.vcf", content)
    response = concierge_client.post("/clients/import/", {"action": "preview", "file": upload})
    assert response.status_code == 200
    assert not Client.objects.exists()


def _steps(text: str) -> int:
    """How many lines of Python unfolding `text` runs."""
    steps = 0

    def count(frame, event, arg):
        nonlocal steps
        steps += 1
        return count

    previous = sys.gettrace()
    sys.settrace(count)
    try:
        unfold(text)
    finally:
        sys.settrace(previous)
    return steps


FOLDS = {
    "space": lambda n: "NOTE:a\n" + " b\n" * n,
    "tab after CRLF": lambda n: "NOTE:a\r\n" + "\tb\r\n" * n,
    "quoted-printable soft breaks": lambda n: (
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=\n" + "b=\n" * n + "c\n"
    ),
    "a quoted-printable head with no colon yet": lambda n: (
        "NOTE;ENCODING=QUOTED-PRINTABLE;X=\n" + "a=\n" * n
    ),
    "a head folded over many lines": lambda n: "NOTE;X=\n" + " Y=\n" * n + " :value\n",
}


@pytest.mark.parametrize("fold", sorted(FOLDS))
def test_every_way_of_folding_is_read_in_linear_time(fold):
    def card(n):
        return "BEGIN:VCARD\nN:Doe;Jane\n" + FOLDS[fold](n) + "END:VCARD\n"

    small, large = _steps(card(400)), _steps(card(3200))
    # Linear: eight times the lines, about eight times the work; quadratic would be 64 times.
    assert large < 16 * small, (fold, small, large)

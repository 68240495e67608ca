"""Addresses of rows, built from a pattern reversed once per process instead of once per row.

`reverse()` walks the URL resolver on every call (30-50 µs): a list of 25 rows with two links each
spent more time there than on its query. `link(name, *args)` reverses `name` once with a marker in
place of each argument and then only splices the arguments in. It takes what a row link passes
(ids, and slugs where the route accepts text) and falls back to `reverse()` for anything else, so
that its answer is always `reverse()`'s.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Digits, so that int, slug and str converters all accept them; no route holds such a number.
MARK = "731{:03d}957"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@lru_cache(maxsize=512)
def _pattern(prefix: str, urlconf, name: str, arity: int) -> tuple[list[str], list[bool]] | None:
    """The reversed address split around its arguments, and which arguments may be text; None when
    the address cannot be spliced (an argument appears twice, or a converter rewrites it)."""
    marks = [MARK.format(i) for i in range(arity)]
    try:
        address = reverse(name, args=marks)
    except NoReverseMatch:
        return None
    pieces = re.split("|".join(marks), address)
    if len(pieces) != arity + 1 or [m for m in marks if address.count(m) != 1]:
        return None
    texts = []
    for i in range(arity):
        try:
            reverse(name, args=[*marks[:i], f"x{marks[i]}", *marks[i + 1 :]])
        except NoReverseMatch:
            texts.append(False)
        else:
            texts.append(True)
    return pieces, texts


def link(name: str, *args) -> str:
    """`reverse(name, args=args)`, spliced into a pattern reversed once per process."""
    pattern = _pattern(get_script_prefix(), get_urlconf(), name, len(args))
    if pattern is not None:
        pieces, texts = pattern
        parts = [pieces[0]]
        for arg, text, piece in zip(args, texts, pieces[1:], strict=True):
            if type(arg) is int and arg >= 0:
                parts.append(str(arg))
            elif text and isinstance(arg, str) and SLUG.fullmatch(arg):
                parts.append(arg)
            else:
                break
            parts.append(piece)
        else:
            return "".join(parts)
    return reverse(name, args=args)


# An id no row has, to find where a row's own id goes in its address.
ROW_MARK = 731_999_957


def around(name: str, *args) -> tuple[str, str]:
    """`link(name, *args, id)` as what comes before the row's id and after it: a page splices each
    row's id in between (`f"{before}{pk}{after}"`), no call per row. ValueError where the address
    cannot be split (its pattern is not one `link` splices)."""
    found = _around(get_script_prefix(), get_urlconf(), name, args)
    if found is None:
        raise ValueError(f"the address of {name} cannot be split around an id")
    return found


@lru_cache(maxsize=512)
def _around(prefix: str, urlconf, name: str, args: tuple) -> tuple[str, str] | None:
    # Once per process and address: a page asks for the same few on every read.
    address = link(name, *args, ROW_MARK)
    spliced = _pattern(prefix, urlconf, name, len(args) + 1) is not None
    if not spliced or address.count(str(ROW_MARK)) != 1:
        return None
    before, _mark, after = address.partition(str(ROW_MARK))
    return before, after


def row_links(name: str, *args):
    """`lambda pk: link(name, *args, pk)`, the address made once: rows of one list that each
    link to the same view with their own id pay only for putting it in."""
    try:
        head, tail = around(name, *args)
    except ValueError:
        return lambda pk: link(name, *args, pk)

    def row_link(pk) -> str:
        if type(pk) is int and pk >= 0:
            return f"{head}{pk}{tail}"
        return link(name, *args, pk)

    return row_link


@receiver(setting_changed)
def _forget_patterns(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
        _around.cache_clear()

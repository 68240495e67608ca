"""Text that wraps where a reader expects: an email address or a long link breaks after "@" or
before a ".", not in the middle of a word; counts that stopped at a cap say so ("200+")."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

BREAK_AFTER = re.compile(r"([@/_])")
BREAK_BEFORE = re.compile(r"(?<=\w)(\.)(?=\w)")


@register.filter(needs_autoescape=True)
def breakable(value, autoescape=True):
    """`value` escaped, with <wbr> where a long address may wrap."""
    raw = str(value)
    text = conditional_escape(value) if autoescape else raw
    if len(raw) < 20 or " " in raw:
        return text
    text = BREAK_AFTER.sub(r"\1<wbr>", str(text))
    return mark_safe(BREAK_BEFORE.sub(r"<wbr>\1", text))


@register.filter
def capped(value, cap):
    """A count that stopped counting past `cap` (see CappedCount): "200+" instead of 201."""
    try:
        return f"{cap}+" if int(value) > int(cap) else value
    except (TypeError, ValueError):
        return value

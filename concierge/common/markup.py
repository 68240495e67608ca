"""Escaping for rows composed in Python, as the template would have escaped them.

`format_html` escapes each value through `conditional_escape`, whose lazy-aware wrappers cost a
dozen calls per value: a profile's rows passed a few hundred values through it on every read.
`esc` gives the same text in a call or two; rows put its answers into plain strings and mark the
whole once.
"""

from django.utils.functional import Promise
from django.utils.translation import get_language


def esc(value) -> str:
    """What `{{ value }}` writes for a text, a number or a safe string (autoescape on)."""
    if type(value) is not str:
        if isinstance(value, Promise):
            value = str(value)
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def esc_lines(value: str) -> str:
    """What `{{ value|linebreaksbr }}` writes for a text."""
    return esc(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def csrf_input(context) -> str:
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":
        return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'
    return ""


def per_language(make):
    """`make()`'s words (a dict), escaped as `{% translate %}` writes them, made once per language
    and process, as `{% memo %}` keeps markup: `@per_language def words(): return {...}`."""
    made: dict[str, dict] = {}

    def words() -> dict:
        language = get_language()
        found = made.get(language)
        if found is None:
            found = made[language] = {name: esc(word) for name, word in make().items()}
        return found

    return words

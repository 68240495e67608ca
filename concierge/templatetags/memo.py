"""Markup that is the same for every request with the same few values, rendered once per process.

    {% load memo %}
    {% memo nav_section user.is_manager %}<nav>… {% url 'agenda' %} … {% translate "Clients" %} …</nav>{% endmemo %}

The navigation, the icons and the labels every page carries cost milliseconds of template work on
each request (dozens of `{% url %}` and `{% translate %}`), yet depend on nothing but the language,
the section and the role. The block is rendered once per key and then copied: the key is the values
given, plus the active language and the script prefix (which every `{% url %}` inside depends on).

A block that differs from one record to another only by the record's id names it after `with`:

    {% memo user.is_manager with pk=client.pk %}<a href="{% link 'handover' pk %}">…{% endmemo %}

It is rendered once per key with a marker in place of the id, and each request splices its own id
into the markers' places (as `row_links` does for an address). The block may only write such an id
as it is (`{{ pk }}`, an argument of `{% link %}` or `{% url %}`), never compute with it; its first
render for each key is checked against a plain render, and a block that fails the check is rendered
normally from then on. An id that is not a non-negative int is rendered normally too.

Only for markup that depends on nothing else: never a user's data, never a form's token (a
`{% csrf_token %}` inside is refused when the template is read), never anything read from the
database. Keys are few (languages × sections × roles); past MAX_KEYS the block is rendered normally.
"""

import re

from django import template
from django.template.base import token_kwargs
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_KEYS = 256
# The marker of the n-th id of a block: digits, as an int converter writes them; no page holds it.
SPLICE_MARK = 731_800_957
PLAIN = object()  # a key whose block is rendered normally (its check failed)


class MemoNode(template.Node):
    def __init__(self, nodelist, values, spliced=None):
        self.nodelist = nodelist
        self.values = values
        self.spliced = spliced or {}
        self.rendered = {}

    def render(self, context):
        key = (get_language(), get_script_prefix(), *(v.resolve(context) for v in self.values))
        if self.spliced:
            return mark_safe(self._render_spliced(context, key))
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) < MAX_KEYS:
                self.rendered[key] = html
        return mark_safe(html)

    def _render_spliced(self, context, key) -> str:
        ids = {name: value.resolve(context) for name, value in self.spliced.items()}
        pieces = self.rendered.get(key)
        if pieces is PLAIN or any(type(pk) is not int or pk < 0 for pk in ids.values()):
            return self._plain(context, ids)
        if pieces is None:
            pieces = self._pieces(context, ids)
            if len(self.rendered) < MAX_KEYS:
                self.rendered[key] = pieces
            if pieces is PLAIN:
                return self._plain(context, ids)
        return _join(pieces, ids)

    def _plain(self, context, ids: dict) -> str:
        with context.push(ids):
            return self.nodelist.render(context)

    def _pieces(self, context, ids: dict):
        """The block's markup split around its markers (text, name, text, …), or PLAIN when
        splicing `ids` into it does not give the block's own markup for them."""
        marks = {name: SPLICE_MARK + 1000 * n for n, name in enumerate(ids)}
        with context.push(marks):
            marked = self.nodelist.render(context)
        names = {str(mark): name for name, mark in marks.items()}
        pieces = re.split(f"({'|'.join(names)})", marked)
        pieces[1::2] = [names[mark] for mark in pieces[1::2]]
        if _join(pieces, ids) != self._plain(context, ids):
            return PLAIN
        return pieces


def _join(pieces: list, ids: dict) -> str:
    out = pieces[:]
    out[1::2] = [str(ids[name]) for name in pieces[1::2]]
    return "".join(out)


@register.tag
def memo(parser, token):
    bits = token.split_contents()[1:]
    spliced = {}
    if "with" in bits:
        at = bits.index("with")
        bits, pairs = bits[:at], bits[at + 1 :]
        spliced = token_kwargs(pairs, parser)
        if not spliced or pairs:
            raise template.TemplateSyntaxError(
                "{% memo … with name=value %}: each spliced id is given as name=value."
            )
    values = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "{% memo %} cannot hold a {% csrf_token %}: it is per user."
        )
    return MemoNode(nodelist, values, spliced)


def per_page(context, key: str, make):
    """What every row of a page shares (its words, in the reader's language), made once per page
    (the template's render context) by `make()`: a page of 25 rows translates them once."""
    shared = context.render_context.get(key)
    if shared is None:
        shared = context.render_context[key] = make()
    return shared

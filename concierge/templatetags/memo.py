"""Markup that is the same for every request with the same few values, rendered once per process.

    {% load memo %}
    {% memo nav_section user.is_manager %}<nav>… {% url 'agenda' %} … {% translate "Clients" %} …</nav>{% endmemo %}

The navigation, the icons and the labels every page carries cost milliseconds of template work on
each request (dozens of `{% url %}` and `{% translate %}`), yet depend on nothing but the language,
the section and the role. The block is rendered once per key and then copied: the key is the values
given, plus the active language and the script prefix (which every `{% url %}` inside depends on).

Only for markup that depends on nothing else: never a user's data, never a form's token (a
`{% csrf_token %}` inside is refused when the template is read), never anything read from the
database. Keys are few (languages × sections × roles); past MAX_KEYS the block is rendered normally.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_KEYS = 256


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.rendered = {}

    def render(self, context):
        key = (get_language(), get_script_prefix(), *(v.resolve(context) for v in self.values))
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) < MAX_KEYS:
                self.rendered[key] = html
        return mark_safe(html)


@register.tag
def memo(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "{% memo %} cannot hold a {% csrf_token %}: it is per user."
        )
    return MemoNode(nodelist, values)


def per_page(context, key: str, make):
    """What every row of a page shares (its words, in the reader's language), made once per page
    (the template's render context) by `make()`: a page of 25 rows translates them once."""
    shared = context.render_context.get(key)
    if shared is None:
        shared = context.render_context[key] = make()
    return shared

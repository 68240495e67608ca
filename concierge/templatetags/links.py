"""`{% link 'clients:detail' client.pk %}`: `{% url %}` for rows, from a pattern reversed once per
process (see concierge.common.links)."""

from django import template

from concierge.common import links

register = template.Library()


@register.simple_tag
def link(name, *args):
    return links.link(name, *args)

"""`{% row_actions section part %}`: the edit and delete buttons of a row of the profile's parts.

Composed in Python: a profile has tens of such rows, and the same markup as an included template
cost more than the rest of the row (an include, four `{% link %}` and a dozen lookups each)."""

from django import template
from django.utils.html import format_html

from concierge.common.links import link

register = template.Library()

ACTIONS = (
    '\n<a class="icon-btn" title="{edit}" aria-label="{edit}" href="{edit_url}#section-{section}"'
    ' hx-get="{edit_url}" hx-target="#section-{section}" hx-swap="outerHTML">'
    '<svg class="i"><use href="#i-edit"/></svg></a>\n'
    '<form class="button-form" method="post" action="{delete_url}" hx-post="{delete_url}"'
    ' hx-confirm="{confirm}" hx-target="#section-{section}" hx-swap="outerHTML">{csrf}'
    '<input type="hidden" name="version" value="{version}">'
    '<button class="icon-btn" title="{delete}" aria-label="{delete}">'
    '<svg class="i"><use href="#i-trash"/></svg></button></form>\n'
)


@register.simple_tag(takes_context=True)
def row_actions(context, section: str, part, bare: bool = False):
    """The labels are set once by the section (`label_edit`, `label_delete`,
    `label_delete_confirm`); the row's actions in a `row-actions` div unless `bare`."""
    token = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        if token and token != "NOTPROVIDED"
        else ""
    )
    pk = context["client"].pk
    html = format_html(
        ACTIONS,
        edit=context.get("label_edit", ""),
        delete=context.get("label_delete", ""),
        confirm=context.get("label_delete_confirm", ""),
        section=section,
        edit_url=link("clients:part-edit", pk, section, part.pk),
        delete_url=link("clients:part-delete", pk, section, part.pk),
        csrf=csrf,
        version=part.version,
    )
    if bare:
        return format_html("{}\n", html)
    return format_html('<div class="row-actions">{}</div>\n', html)

"""The agenda's markup composed in Python (see concierge.agenda.display): `{% reminder_row reminder
late=True %}`, a reminder's card; `{% agenda_more "overdue" shown total %}`, a list's "show all";
`{% empty_reminder_form %}`, the reminder form as the page first shows it."""

from django import template
from django.utils.safestring import mark_safe

from concierge.agenda import display
from concierge.agenda.display import reminder_row as compose
from concierge.common.markup import csrf_input

register = template.Library()


@register.simple_tag(takes_context=True)
def reminder_row(context, reminder, late=False, quiet=False):
    return compose(reminder, context["agenda"], csrf_input(context), late=late, quiet=quiet)


@register.simple_tag(takes_context=True)
def agenda_more(context, section, shown, total):
    # The line break the included template ended with, kept: the page is the same, byte for byte.
    return mark_safe(f"{display.more_link(section, shown, total, context['agenda'])}\n")  # noqa: S308


@register.simple_tag(takes_context=True)
def empty_reminder_form(context):
    return display.empty_reminder_form(context)

"""`{% reminder_row reminder late=True %}`: a reminder's card in the agenda's lists, composed in
Python (see concierge.agenda.display.reminder_row)."""

from django import template

from concierge.agenda.display import reminder_row as compose
from concierge.common.markup import csrf_input

register = template.Library()


@register.simple_tag(takes_context=True)
def reminder_row(context, reminder, late=False, quiet=False):
    return compose(reminder, context["agenda"], csrf_input(context), late=late, quiet=quiet)

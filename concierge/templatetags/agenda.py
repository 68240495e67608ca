"""The agenda's markup composed in Python (see concierge.agenda.display): `{% reminder_cards
agenda.overdue late=True %}`, a list's cards; `{% agenda_more "overdue" shown total %}`, a list's
"show all"; `{% empty_reminder_form %}`, the reminder form as the page first shows it;
`{{ agenda.dates|rows_html }}`, the side column's rows."""

from django import template
from django.utils.safestring import mark_safe

from concierge.agenda import display
from concierge.agenda.display import reminder_row as compose
from concierge.common.markup import csrf_input

register = template.Library()


@register.simple_tag(takes_context=True)
def reminder_cards(context, reminders, late=False, quiet=False):
    """A list's cards, one string (a tag per card cost each its own template work)."""
    agenda, csrf = context["agenda"], csrf_input(context)
    cards = "".join(
        compose(reminder, agenda, csrf, late=late, quiet=quiet) for reminder in reminders
    )
    return mark_safe(cards)  # noqa: S308 (each card is composed escaped)


@register.simple_tag(takes_context=True)
def agenda_more(context, section, shown, total):
    # The line break the included template ended with, kept: the page is the same, byte for byte.
    return mark_safe(f"{display.more_link(section, shown, total, context['agenda'])}\n")  # noqa: S308


@register.simple_tag(takes_context=True)
def empty_reminder_form(context):
    return display.empty_reminder_form(context)


@register.filter
def rows_html(rows):
    """The side column's rows, each composed (`html`), as one string: a loop wrote each apart."""
    return mark_safe("".join(row.html for row in rows))  # noqa: S308 (each row is composed escaped)

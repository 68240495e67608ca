"""The agenda's markup composed in Python says, byte for byte, what its templates said: the reminder
form as the page first shows it (rendered once per language, time zone and day, with each reader's
own CSRF input) and each list's "show all" / "show fewer"."""

import datetime as dt
import re

import pytest
import time_machine
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from clients.models import ImportantDate
from concierge.agenda import display
from concierge.agenda.queries import Agenda, coming_dates
from concierge.reminders.forms import ReminderForm
from tests.factories import ClientFactory, ImportantDateFactory, RelationFactory

# The list's "show all" as _agenda_more.html drew it before.
MORE = engines["django"].from_string(
    """{% load i18n %}{% if agenda.show == section %}<p class="agenda-more"><a href="{% url 'agenda' %}" hx-get="{% url 'agenda' %}" hx-target="#agenda-reminders" hx-swap="outerHTML" hx-push-url="true">{% translate "Show fewer" %}</a></p>{% elif total > shown %}<p class="agenda-more"><a href="{% url 'agenda' %}?show={{ section }}" hx-get="{% url 'agenda' %}?show={{ section }}" hx-target="#agenda-reminders" hx-swap="outerHTML" hx-push-url="true" data-show="{{ section }}">{% if total > agenda.cap %}{% blocktranslate with n=agenda.cap %}Show the first {{ n }}{% endblocktranslate %}{% else %}{% blocktranslate count n=total %}Show all {{ n }}{% plural %}Show all {{ n }}{% endblocktranslate %}{% endif %}</a></p>{% endif %}"""
)


def _agenda(show=""):
    today = dt.date(2026, 11, 30)
    return Agenda(today, [], [], 0, 0, [], 0, [], 0, show=show)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_show_all_says_what_the_template_said(language):
    with translation.override(language):
        for show in ("", "overdue", "calls"):
            agenda = _agenda(show)
            for section in ("overdue", "today", "calls", "coming", "catch_up"):
                for shown, total in ((5, 5), (5, 6), (1, 2), (5, 99), (5, 100), (99, 100)):
                    context = {"agenda": agenda, "section": section, "shown": shown, "total": total}
                    expected = MORE.render(context)
                    assert display.more_link(section, shown, total, agenda) == expected


def _slot(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)[1]


def _template_form(user, token: str) -> str:
    # What the page's include rendered for the empty form, with this reader's token.
    context = {"form": ReminderForm(user=user), "where": "agenda", "csrf_token": token}
    return render_to_string(display.FORM_TEMPLATE, context)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_empty_reminder_form_is_the_templates_with_each_readers_own_token(
    concierge, colleague, language
):
    colleague.time_zone = "America/New_York"
    display._empty_forms.clear()
    # 00:30 on Tuesday in Paris is 18:30 on Monday in New York: tomorrow is not the same day.
    with (
        translation.override(language),
        time_machine.travel(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), tick=False),
    ):
        for user, token in ((concierge, "a" * 32), (colleague, "b" * 32), (concierge, "c" * 32)):
            given = display.empty_reminder_form({"user": user, "csrf_token": token})
            assert given == _template_form(user, token)
            assert _slot(given) == token
        paris = display.empty_reminder_form({"user": concierge, "csrf_token": "t"})
        new_york = display.empty_reminder_form({"user": colleague, "csrf_token": "t"})
        assert paris != new_york  # Tuesday's choices in Paris, Monday's in New York
    assert len(display._empty_forms) == 2


def test_the_empty_reminder_form_follows_the_day_and_the_language(concierge):
    display._empty_forms.clear()
    context = {"user": concierge, "csrf_token": "t" * 32}
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), tick=False):
        monday = display.empty_reminder_form(context)
        with translation.override("fr"):
            french = display.empty_reminder_form(context)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        tuesday = display.empty_reminder_form(context)
        assert tuesday == _template_form(concierge, "t" * 32)
    assert "Wednesday 10:00" in monday and "Thursday 10:00" in tuesday
    assert "Mercredi 10:00" in french or "mercredi" in french.lower()
    assert monday != tuesday


def test_the_agenda_page_carries_the_readers_own_token(concierge_client):
    page = concierge_client.get("/agenda/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page))
    assert len(tokens) == 1 and display._TOKEN_SLOT not in page
    assert 'class="form reminder-form"' in page and 'name="where" value="agenda"' in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_coming_date_read_as_values_says_what_the_model_says(concierge, language):
    """The side column reads its dates as values: when each comes, what it marks, its title and
    whose it is are the model's own answers (the same functions)."""
    today = dt.date(2027, 2, 20)
    client = ClientFactory(first_name="Louise", preferred_name="Lola", primary_concierge=concierge)
    spouse = RelationFactory(client=client, name="Mathilde")
    for kind, label, date, yearly, relation in (
        ("birthday", "", dt.date(1980, 2, 29), True, None),  # comes on the 28th
        ("anniversary", "Wedding", dt.date(2001, 2, 25), True, spouse),
        ("custom", "Gala", dt.date(2027, 3, 1), False, None),
        ("birthday", "", dt.date(2027, 2, 21), True, spouse),  # born tomorrow: no age yet
    ):
        ImportantDateFactory(
            client=client, kind=kind, label=label, date=date, yearly=yearly, relation=relation
        )
    with translation.override(language):
        shown, _more = coming_dates(concierge, today)
        assert len(shown) == 4
        for row in shown:
            item = ImportantDate.objects.get(pk=row.pk)
            assert (row.next_on, row.days, row.age) == (
                item.next_occurrence(today),
                item.days_left(today),
                item.age_at_next(today),
            )
            assert (row.title, row.client_name) == (item.title, item.client.display_name)
    assert [row.next_on for row in shown] == sorted(row.next_on for row in shown)

"""A choice's label is read the same way as Django's own `get_<field>_display()` gives it, in the
reader's language, translating only the label shown (see concierge.common.choices)."""

import pytest
from django.db import models
from django.utils import translation

from clients.models import ImportantDate
from concierge.common.choices import ChoiceLabels
from concierge.reminders.models import Reminder
from requests.models import ServiceRequest


def choice_fields(model):
    return [f for f in model._meta.get_fields() if getattr(f, "choices", None)]


@pytest.mark.parametrize("model", [Reminder, ServiceRequest, ImportantDate])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_label_is_djangos_in_the_readers_language(model, language):
    assert issubclass(model, ChoiceLabels)
    with translation.override(language):
        for field in choice_fields(model):
            for value, _label in field.flatchoices:
                row = model(**{field.attname: value})
                ours = getattr(row, f"get_{field.name}_display")()
                assert ours == models.Model._get_FIELD_display(row, field)


def test_the_label_follows_the_language_it_is_read_in():
    reminder = Reminder(kind=Reminder.Kind.IMPORTANT_DATE)
    with translation.override("en"):
        english = reminder.get_kind_display()
    with translation.override("fr"):
        french = reminder.get_kind_display()
    assert english == "Important date"
    assert french != english


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Reminder(kind="something-else").get_kind_display() == "something-else"


def test_only_the_label_shown_is_translated(monkeypatch):
    translated = []
    from django.utils.translation import trans_real

    def counting(message):
        translated.append(message)
        return trans_real.gettext(message)

    # Lazy labels are translated by the active backend's gettext when they are read.
    monkeypatch.setattr(translation._trans, "gettext", counting)
    Reminder(kind=Reminder.Kind.CADENCE).get_kind_display()
    assert len(translated) <= 1

"""`get_FOO_display()` gives Django's own labels, in the active language, from a table built once."""

import pytest
from django.db import models
from django.utils import translation

from clients.models import Client, ContactPoint, ImportantDate, Interaction, Preference
from concierge.common.choices import ChoiceLabels
from concierge.reminders.models import Reminder
from requests.models import ServiceRequest

CASES = [
    (Client, "tier", [v for v, _ in Client.Tier.choices]),
    (ContactPoint, "kind", [v for v, _ in ContactPoint.Kind.choices]),
    (Preference, "kind", [v for v, _ in Preference.Kind.choices]),
    (Interaction, "channel", [v for v, _ in Interaction.Channel.choices]),
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("model", "name", "values"), CASES)
def test_the_labels_are_djangos_in_each_language(model, name, values, language):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value in [*values, "not-a-choice", "", None]:
            record = model(**{name: value})
            ours = getattr(record, f"get_{name}_display")()
            assert ours == models.Model._get_FIELD_display(record, field)
            assert type(ours) is type(models.Model._get_FIELD_display(record, field))


def test_a_label_is_read_in_the_readers_language():
    with translation.override("fr"):
        assert Preference(kind="allergy").get_kind_display() != "Allergy"
    with translation.override("en"):
        assert Preference(kind="allergy").get_kind_display() == "Allergy"


def choice_fields(model):
    return [f for f in model._meta.get_fields() if getattr(f, "choices", None)]


@pytest.mark.parametrize("model", [Reminder, ServiceRequest, ImportantDate])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_label_of_the_listed_models_is_djangos(model, language):
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

"""`get_FOO_display()` gives Django's own labels, in the active language, from a table built once."""

import pytest
from django.db import models
from django.utils import translation

from clients.models import Client, ContactPoint, Interaction, Preference

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

"""`get_FOO_display()` gives Django's own labels, in the active language, from a table built once."""

import pytest
from django.db import models
from django.utils import translation

from clients.models import Client, ContactPoint, Interaction, Preference
from concierge.common import choices

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


def test_a_label_is_translated_once_per_language():
    choices._labels.cache_clear()
    for language in ["en", "fr", "en", "fr"]:
        with translation.override(language):
            [Client(tier="private").get_tier_display() for _ in range(20)]
    assert choices._labels.cache_info().misses == 2
    with translation.override("fr"):
        assert Preference(kind="allergy").get_kind_display() != Preference(kind="allergy").kind

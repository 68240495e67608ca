"""`get_FOO_display()` read from a table of labels built once per field and language.

Django's builds a dict of the field's choices on every call, hashing, and so translating, each
lazy label in it: a profile's 70 labels cost 700 translations a request."""

from functools import lru_cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@lru_cache(maxsize=4096)
def _labels(field, language: str | None) -> dict:
    return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """A model mixin (before `models.Model`): the same labels as Django's, translated once."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field, get_language()).get(make_hashable(value), value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)

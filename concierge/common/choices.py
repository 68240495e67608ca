"""`get_<field>_display()` that translates one label, not all of them.

Django's own builds a dict of every choice on each call, and hashing each lazily translated label
translates it: a reminder's kind shown in a list of 20 rows cost 20 × 11 translations. Here the
choices of each field are kept by value once per process, and only the label shown is translated
(in the reader's language, when it is read), once per language and process. Mixed into the models
whose labels fill lists.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.translation import get_language

_labels: dict = {}
# {(field, language, value): the label in that language}: a page of 40 rows translated the same
# few labels 40 times (a dozen calls each).
_translated: dict = {}


def labels_of(field) -> dict:
    """The field's choices, {value: lazy label}, built once per field."""
    labels = _labels.get(field)
    if labels is None:
        labels = _labels[field] = dict(field.flatchoices)
    return labels


@lru_cache(maxsize=64)
def _translated_choices(choices, language: str) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def labels(choices) -> dict[str, str]:
    """`{value: label}` of a TextChoices class, in the active language (what `get_FOO_display`
    says; a value outside the choices is shown as itself), made once per language and process."""
    return _translated_choices(choices, get_language())


class ChoiceLabels:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        key = (field, get_language(), value)
        try:
            return _translated[key]
        except KeyError:
            labels = labels_of(field)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        if value not in labels:  # not a choice: shown as it is, and not kept
            return force_str(value, strings_only=True)
        label = _translated[key] = force_str(labels[value], strings_only=True)
        return label


@receiver(setting_changed)
def _forget_translations(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _translated.clear()
        _translated_choices.cache_clear()

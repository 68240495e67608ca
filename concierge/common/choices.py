"""`get_<field>_display()` that translates one label, not all of them.

Django's own builds a dict of every choice on each call, and hashing each lazily translated label
translates it: a reminder's kind shown in a list of 20 rows cost 20 × 11 translations. Here the
choices of each field are kept by value once per process, and only the label shown is translated
(in the reader's language, when it is read). Mixed into the models whose labels fill lists.
"""

from django.utils.encoding import force_str

_labels: dict = {}


def labels_of(field) -> dict:
    """The field's choices, {value: lazy label}, built once per field."""
    labels = _labels.get(field)
    if labels is None:
        labels = _labels[field] = dict(field.flatchoices)
    return labels


class ChoiceLabels:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = labels_of(field).get(value, value)
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)

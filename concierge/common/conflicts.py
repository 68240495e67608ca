import datetime
from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone else saved the same thing since the form was opened; `current` is what they saved.
    A view that shows the conflict sets `fields` (conflicting_fields) for the side-by-side table."""

    def __init__(self, current: models.Model, message: str | None = None):
        self.current = current
        self.fields: list = []
        super().__init__(message or _("Someone else changed this while you were editing."))


def check_version(locked: models.Model, version: int | None) -> None:
    """Call while holding a SELECT FOR UPDATE lock on `locked`. A form without its version cannot
    prove it saw the current values: a conflict too."""
    if version is None or locked.version != version:
        raise EditConflict(locked)


# When a save meets an EditConflict, the form is shown again with what the person typed, beside
# what the other person saved, field by field; each differing field offers "theirs", "yours" and,
# for text, both texts. The next save applies those choices to the values typed.
RESOLVE_PREFIX = "resolve-"
YOURS, THEIRS, BOTH = "yours", "theirs", "both"


@dataclass(frozen=True)
class FieldConflict:
    name: str  # the field's name in the submitted data (with the form's prefix)
    label: str
    theirs: str  # shown to a person
    yours: str
    is_text: bool

    @property
    def resolve_name(self) -> str:
        return RESOLVE_PREFIX + self.name


def _raw(bound_field, data=None) -> str:
    """A field's value as a browser would submit it: from `data`, or from the form's instance."""
    widget = bound_field.field.widget
    if data is not None:
        if isinstance(widget, forms.CheckboxInput):
            return "on" if widget.value_from_datadict(data, {}, bound_field.html_name) else ""
        value = data.getlist(bound_field.html_name) if hasattr(data, "getlist") else []
        return ",".join(value) if len(value) > 1 else (value[0] if value else "")
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def _shown(bound_field, raw: str) -> str:
    field = bound_field.field
    if isinstance(field.widget, forms.CheckboxInput):
        return _("Yes") if raw else _("No")
    if getattr(field, "choices", None) is not None and not isinstance(field, forms.FileField):
        for value, label in field.choices:
            if str(getattr(value, "value", value)) == raw and raw:
                return str(label)
    return raw or "—"


def _comparable(bound_field) -> bool:
    return not bound_field.is_hidden and not isinstance(bound_field.field, forms.FileField)


def conflicting_fields(*, current_form: forms.BaseForm, data) -> list[FieldConflict]:
    """Fields where what was typed (`data`) differs from what is saved (`current_form`, an unbound
    form on the current instance)."""
    found = []
    for bound_field in current_form:
        if not _comparable(bound_field):
            continue
        theirs, yours = _raw(bound_field), _raw(bound_field, data)
        if _same(theirs, yours):
            continue
        found.append(
            FieldConflict(
                name=bound_field.html_name,
                label=str(bound_field.label),
                theirs=_shown(bound_field, theirs),
                yours=_shown(bound_field, yours),
                is_text=isinstance(bound_field.field.widget, forms.Textarea),
            )
        )
    return found


def keep_typed(data, *, version: int, current_form: forms.BaseForm | None = None):
    """The submitted data to show again after a conflict: what was typed, at the current version
    (so that saving it is a decision, not a stale write). With `current_form`, the choices made on
    a conflict screen (resolve-<field>) are applied first."""
    data = data.copy()
    if current_form is not None:
        data = resolve_choices(data, current_form=current_form)
    data["version"] = str(version)
    return data


def has_choices(data) -> bool:
    return any(key.startswith(RESOLVE_PREFIX) for key in data)


def resolve_choices(data, *, current_form: forms.BaseForm):
    """Apply "theirs" / "both" chosen on the conflict screen to the submitted data (a copy)."""
    data = data.copy()
    for bound_field in current_form:
        choice = data.pop(RESOLVE_PREFIX + bound_field.html_name, [YOURS])[-1]
        if choice == YOURS or not _comparable(bound_field):
            continue
        theirs = _raw(bound_field)
        if choice == THEIRS:
            if isinstance(bound_field.field.widget, forms.CheckboxInput) and not theirs:
                data.pop(bound_field.html_name, None)
            else:
                data[bound_field.html_name] = theirs
        elif choice == BOTH and isinstance(bound_field.field.widget, forms.Textarea):
            yours = _raw(bound_field, data)
            data[bound_field.html_name] = "\n\n".join(
                part.strip() for part in (theirs, yours) if part.strip()
            )
    return data

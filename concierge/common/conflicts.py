from django.db import models
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone else saved the same thing since the form was opened; `current` is what they saved."""

    def __init__(self, current: models.Model, message: str | None = None):
        self.current = current
        super().__init__(
            message
            or _("Someone else changed this while you were editing. Here are the current values.")
        )


def check_version(locked: models.Model, version: int | None) -> None:
    """Call while holding a SELECT FOR UPDATE lock on `locked`. A form without its version cannot
    prove it saw the current values: a conflict too."""
    if version is None or locked.version != version:
        raise EditConflict(locked)

import re

# C0 controls but tab, line feed and carriage return (typed in text areas), plus DEL. PostgreSQL
# refuses NUL in text; the others are never typed by a person and break exports and vCards.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def without_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)

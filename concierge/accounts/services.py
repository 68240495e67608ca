from django.conf import settings

from .models import User


def user_language_set(*, user: User, language: str) -> bool:
    """Store the language the user reads everything in; an unknown code changes nothing."""
    code = language.split("-")[0].lower()
    if code not in dict(settings.LANGUAGES):
        return False
    user.language = code
    user.save(update_fields=["language"])
    return True

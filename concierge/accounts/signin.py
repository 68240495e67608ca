"""How django-axes names the account a sign-in attempt was for."""

from django.conf import settings

# The column is 255 characters; usernames are at most 150 (a longer one is no account).
MAX_USERNAME = 150


def attempted_username(request, credentials: dict | None = None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field)
    if username is None:
        return None
    return str(username)[:MAX_USERNAME]

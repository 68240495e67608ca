import zoneinfo

from django.utils import timezone, translation


class UserTimezoneMiddleware:
    """Shows times in the signed-in concierge's own time zone (stored in UTC)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        if tz_name:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speaks the signed-in user's own language (chosen in their menu, first taken from the
    browser); signed out, LocaleMiddleware's choice from the browser stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

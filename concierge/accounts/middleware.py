import time
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from .models import away_read_once


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


# Views a signed-in user reaches before giving a one-time code.
SECOND_FACTOR_EXEMPT = {"logout", "set_language", "otp-verify", "otp-setup"}
OTP_STATE_KEY = "_otp_state"
SEEN_KEY = "_seen"


def otp_state(user) -> str:
    """'device' when the user signs in with a code, 'setup' when they must first enable one, else
    'none'."""
    from django_otp import user_has_device

    if user_has_device(user, confirmed=True):
        return "device"
    if getattr(user, "is_manager", False) and settings.OTP_REQUIRED_FOR_MANAGERS:
        return "setup"
    return "none"


class SecondFactorMiddleware:
    """A user with a confirmed authenticator gives a code before anything else; a manager without
    one (when OTP_REQUIRED_FOR_MANAGERS) is sent to set it up. What the session needs is decided at
    sign-in and kept in the session, so a page costs no extra query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in SECOND_FACTOR_EXEMPT:
            return None
        state = request.session.get(OTP_STATE_KEY)
        if state is None:
            state = request.session[OTP_STATE_KEY] = otp_state(user)
        if state == "none" or user.is_verified():
            return None
        target = reverse("otp-verify" if state == "device" else "otp-setup")
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


class SessionActivityMiddleware:
    """A session lasts SESSION_IDLE_SECONDS (SESSION_COOKIE_AGE) from the user's last action:
    a request renews it (at most once a minute, to spare a write per page) except background polls
    (views marked `@background_poll`), so a tab left open does not keep a session alive."""

    RENEW_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return None
        if getattr(view_func, "background_poll", False):
            return None
        now = int(time.time())
        if now - session.get(SEEN_KEY, 0) >= self.RENEW_EVERY:
            session[SEEN_KEY] = now  # saves the session, which pushes its expiry forward
        return None


def background_poll(view):
    """Marks a view that the page calls by itself (polling): it does not count as activity."""
    view.background_poll = True
    return view


class AwayReadOnceMiddleware:
    """Who is away now is read once per request, however many querysets the page scopes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with away_read_once():
            return self.get_response(request)

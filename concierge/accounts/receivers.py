"""A user's language, first taken from the browser when they sign in without one."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import OTP_STATE_KEY, SEEN_KEY, otp_state
from .services import user_language_set


@receiver(user_logged_in)
def remember_browser_language(sender, request, user, **kwargs):
    # LANGUAGE_CODE is the browser's choice, as LocaleMiddleware read it from Accept-Language.
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if getattr(user, "language", None) == "" and language:
        user_language_set(user=user, language=language)


@receiver(user_logged_in)
def decide_second_factor(sender, request, user, **kwargs):
    # Decided afresh at each sign-in: a code enabled from another session applies from now on.
    if request is not None and hasattr(request, "session"):
        request.session[OTP_STATE_KEY] = otp_state(user)
        request.session[SEEN_KEY] = int(time.time())

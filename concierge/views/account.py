"""The signed-in user's own settings: the language they read everything in."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concierge.common.http import HtmxHttpRequest, safe_next

from ..accounts.services import user_language_set


@require_POST
def language_set(request: HtmxHttpRequest):
    """Saves the language on the user (pages, notifications, emails, digest and feed follow it)."""
    language = request.POST.get("language", "")
    if not user_language_set(user=request.user, language=language):
        return HttpResponseBadRequest(_("Unknown language."))
    translation.activate(request.user.language)
    response = redirect(safe_next(request, request.POST.get("next")) or "agenda")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        request.user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response


@require_GET
def ping(request: HtmxHttpRequest):
    """The floor of the benchmark: a signed-in page that does nothing (session and user only)."""
    return HttpResponse("ok", content_type="text/plain")

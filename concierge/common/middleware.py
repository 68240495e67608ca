"""Response headers and input checks that hold on every URL."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .text import has_control_characters


class RefuseControlCharactersMiddleware:
    """Refuses, with a 400 that says why, a query parameter or form field holding a control
    character, before any view or database sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._hostile(request.path) or self._hostile_query(request):
            return self._refuse(request)
        if request.method == "POST" and self._hostile_form(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _hostile(value: str) -> bool:
        return has_control_characters(value)

    def _hostile_query(self, request) -> bool:
        return any(
            self._hostile(key) or any(self._hostile(v) for v in values)
            for key, values in request.GET.lists()
        )

    def _hostile_form(self, request) -> bool:
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return False
        try:
            items = list(request.POST.lists())
            names = [upload.name or "" for upload in request.FILES.values()]
        except Exception:  # noqa: BLE001 - a malformed body is for the view (and CSRF) to refuse
            return False
        return any(self._hostile(n) for n in names) or any(
            self._hostile(key) or any(self._hostile(v) for v in values) for key, values in items
        )

    def _refuse(self, request):
        message = _(
            "This request holds a control character (such as NUL) that Concierge does not accept. "
            "Remove it and try again."
        )
        body = render_to_string("400_input.html", {"message": message}, request=None)
        return HttpResponseBadRequest(body)


class PermissionsPolicyMiddleware:
    """Only our own origin may use the microphone; nothing else of the device (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{k}={v}" for k, v in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class PrivateNoStoreMiddleware:
    """Pages answered to a signed-in user hold client data: no browser or proxy may keep them,
    unless the view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response

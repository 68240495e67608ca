"""The installable app: its manifest, its service worker and the page it shows without a network.

None of them holds a user's or a client's data, so they are public (the browser fetches the manifest
without cookies) and may be kept by the service worker. Pages with client data never are: navigations
always go to the network, and without one the worker answers the offline page.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOR = "#15181f"
BACKGROUND_COLOR = "#f6f3ec"
# What the worker keeps at install: the shell of every page, and the offline page.
SHELL = (
    "concierge/app.css",
    "concierge/app.js",
    "concierge/outbox.js",
    "concierge/recorder.css",
    "concierge/recorder.js",
    "concierge/icon.svg",
    "concierge/icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
)


@lru_cache(maxsize=1)
def _manifest_version() -> str:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and staticfiles_storage.exists(manifest):
        with staticfiles_storage.open(manifest) as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:16]
    return ""


def shell_version() -> str:
    """Changes whenever a static file does: with the hashed static files, the hash of their manifest;
    in development (files served as they are), the hash of the shell files themselves."""
    if version := _manifest_version():
        return version
    digest = hashlib.sha256()
    for name in SHELL:
        path = finders.find(name)
        if path:
            digest.update(Path(path).read_bytes())
    digest.update(render_offline_marker().encode())
    return digest.hexdigest()[:16]


def render_offline_marker() -> str:
    # The offline page's template is part of the shell: a change to it is a new version too.
    path = settings.BASE_DIR / "templates" / "concierge" / "offline.html"
    return path.read_text() if path.exists() else ""


@login_not_required
@require_GET
def service_worker(request):
    body = render(
        request,
        "concierge/sw.js",
        {
            "version": shell_version(),
            "precache": json.dumps([static(name) for name in SHELL] + [reverse("offline")]),
            "offline_url": json.dumps(reverse("offline")),
            "static_prefix": json.dumps(
                settings.STATIC_URL
                if settings.STATIC_URL.startswith("/")
                else "/" + settings.STATIC_URL
            ),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Checked at every visit, so that a new version reaches the phones at once.
    body["Cache-Control"] = "no-cache"
    body["Service-Worker-Allowed"] = "/"
    return body


@login_not_required
@require_GET
def web_manifest(request):
    icon = "concierge/icons/icon-{size}.png"
    manifest = {
        "name": "Concierge",
        "short_name": "Concierge",
        "description": _("The memory and alarm clock of a premium conciergerie."),
        "lang": request.LANGUAGE_CODE,
        "id": "/agenda/",
        "start_url": reverse("agenda"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(icon.format(size=192)), "sizes": "192x192", "type": "image/png"},
            {"src": static(icon.format(size=512)), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("concierge/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {"name": _("Record"), "url": reverse("record")},
            {"name": _("Agenda"), "url": reverse("agenda")},
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def offline(request):
    """What the service worker shows for a page it cannot fetch: no user's or client's data."""
    response = render(request, "concierge/offline.html")
    response["Cache-Control"] = "no-cache"
    return response

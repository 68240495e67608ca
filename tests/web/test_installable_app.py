"""The installable app: a manifest with its icons, a service worker served from the root that keeps
only the shell and the offline page, and an offline page with nobody's data in it."""

import json
import re
import struct
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.factories import ClientFactory


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_manifest_makes_an_installable_app(client, db):
    response = client.get("/manifest.webmanifest")  # without cookies, as browsers fetch it
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Concierge"
    assert (manifest["start_url"], manifest["display"], manifest["scope"]) == (
        "/agenda/",
        "standalone",
        "/",
    )
    assert manifest["theme_color"] == "#15181f"
    purposes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}"
        purposes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= purposes["any"] and "512x512" in purposes["maskable"]
    assert png_size(finders.find("concierge/icons/apple-touch-icon.png")) == (180, 180)


def test_every_page_links_the_manifest_icons_and_theme(concierge_client):
    html = concierge_client.get("/agenda/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert (
        'rel="apple-touch-icon"' in html and '<meta name="theme-color" content="#15181f">' in html
    )
    assert 'data-service-worker="/sw.js"' in html


def test_the_service_worker_is_served_from_the_root_and_keeps_only_the_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"  # a new version reaches phones at once
    body = response.content.decode()
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", body).group(1))
    assert "/offline/" in precache
    assert all(url.startswith("/static/") or url == "/offline/" for url in precache), precache
    for url in precache:
        assert url == "/offline/" or finders.find(url.removeprefix("/static/")), url
    assert re.search(r'var VERSION = "[0-9a-f]{16}"', body)
    # Navigations go to the network, never to a cache; POSTs are not the worker's business.
    assert 'request.mode === "navigate"' in body and "fetch(request).catch(offlinePage)" in body
    assert 'request.method !== "GET"' in body


def test_the_shell_version_changes_when_a_static_file_does(client, db, settings, tmp_path):
    from concierge.views import app

    before = app.shell_version()
    copy = tmp_path / "concierge"
    copy.mkdir()
    for name in app.SHELL:
        source = finders.find(name)
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(Path(source).read_bytes())
    (tmp_path / "concierge" / "app.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path]
    finders.get_finder.cache_clear()
    try:
        assert app.shell_version() != before
    finally:
        finders.get_finder.cache_clear()


def test_the_offline_page_holds_no_user_or_client_data(concierge_client, concierge):
    ClientFactory(first_name="Éloïse", last_name="Harcourt", primary_concierge=concierge)
    response = concierge_client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No connection" in html
    for private in ("Harcourt", concierge.username, concierge.first_name, "csrfmiddlewaretoken"):
        assert private not in html
    assert response["Cache-Control"] == "no-cache"


def test_the_offline_page_speaks_the_readers_language(client, db):
    html = client.get("/offline/", headers={"Accept-Language": "fr"}).content.decode()
    assert "Pas de connexion" in html


def test_the_policy_lets_our_own_worker_and_manifest_in(concierge_client):
    policy = concierge_client.get("/agenda/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_signed_in_pages_are_still_never_stored(concierge_client):
    response = concierge_client.get("/record/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

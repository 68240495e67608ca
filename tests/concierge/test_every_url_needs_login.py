"""Every URL of the app, walked from the URL configuration, sends an anonymous visitor to sign in,
except the few that are public on purpose."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "calendar-feed",  # the secret token is the credential (unknown token: 404)
    "set_language",
    "favicon",
    "bell",  # answers 286 (stop polling) to a visitor who is not signed in, with no data
    # The installable app: no user's or client's data in any of them (tests/web/test_installable_app.py).
    "manifest",  # fetched by the browser without cookies
    "service-worker",
    "offline",
    "signed-out",
}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<slug:\w+>", "contacts", route)
    route = re.sub(r"<(str:)?\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted(set(walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_apps_pages():
    names = {name for name, _ in ROUTES}
    assert {"agenda", "clients:list", "clients:detail", "requests:list", "requests:detail"} <= names
    assert len(ROUTES) > 40


@pytest.mark.parametrize(
    ("name", "route"), [r for r in ROUTES if r[0].split(":")[-1] not in PUBLIC]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name, route):
    url = concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (
            f"{method.upper()} {url} ({name}) → {response.status_code}"
        )
        assert response["Location"].startswith("/accounts/login/"), response["Location"]

"""Security headers on the key pages (issue 16)."""

import pytest

from tests.factories import ClientFactory, ServiceRequestFactory


@pytest.fixture
def key_pages(concierge):
    record = ClientFactory(primary_concierge=concierge)
    service_request = ServiceRequestFactory(client=record)
    return [
        "/agenda/",
        "/clients/",
        f"/clients/{record.pk}/",
        "/requests/",
        f"/requests/{service_request.pk}/",
        "/notifications/",
        "/me/two-step/",
    ]


def test_every_key_page_has_a_strict_csp_and_the_other_headers(concierge_client, key_pages):
    for url in key_pages:
        response = concierge_client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe" not in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "microphone=(self)" in response["Permissions-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_no_page_has_inline_script_or_style(concierge_client, key_pages):
    for url in key_pages:
        page = concierge_client.get(url).content.decode()
        assert "<style" not in page, url
        assert 'style="' not in page, url
        assert " onclick=" not in page and "hx-on" not in page, url
        for chunk in page.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), (url, chunk[:80])
        assert '"includeIndicatorStyles": false' in page


def test_the_sign_in_page_may_be_cached_by_nobody_else(client, db):
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" in response
    assert "private" in response["Cache-Control"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(concierge_client, concierge):
    # The bell marks itself never_cache; the middleware does not add to it.
    response = concierge_client.get("/notifications/count/")
    assert "max-age=0" in response["Cache-Control"]


def test_static_files_are_not_marked_private(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(".svg")

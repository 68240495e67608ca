import pytest
from django.urls import reverse

PAGES = ["/", "/agenda/", "/clients/", "/requests/", "/admin/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
        "/admin/login/"
    )


@pytest.mark.parametrize("name", ["login", "password_reset", "healthz"])
def test_public_pages_need_no_login(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("url", ["/agenda/", "/clients/", "/requests/"])
def test_signed_in_concierge_sees_the_pages_in_the_navigation(concierge_client, url):
    response = concierge_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for link in ("/agenda/", "/clients/", "/requests/"):
        assert f'href="{link}"' in html


def test_login_with_the_right_password_lands_on_the_agenda(client, concierge):
    response = client.post(
        "/accounts/login/", {"username": "owner", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/agenda/"


def test_login_with_a_wrong_password_says_so(client, concierge):
    response = client.post("/accounts/login/", {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, concierge, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "owner@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_logout_is_a_post_and_ends_the_session(concierge_client):
    response = concierge_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert concierge_client.get("/agenda/").status_code == 302


def test_htmx_requests_carry_the_csrf_token(concierge_client):
    html = concierge_client.get("/agenda/").content.decode()
    assert 'hx-headers=\'{"x-csrftoken": "' in html
    assert "django_htmx/htmx-2.min.js" in html


def test_french_is_served_when_asked(concierge_client):
    response = concierge_client.get("/agenda/", headers={"Accept-Language": "fr"})
    assert "Déconnexion" in response.content.decode()

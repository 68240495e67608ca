"""Nothing a user does returns 500 because Redis (the cache) is unreachable."""

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_signing_in_and_the_main_pages_work_with_the_cache_down(client, concierge, redis_down):
    # django-axes counts failures in the database, not the cache.
    wrong = client.post("/accounts/login/", {"username": "owner", "password": "wrong"})
    assert wrong.status_code == 200
    right = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert right.status_code == 302
    for url in ("/agenda/", "/clients/", "/requests/", "/notifications/"):
        assert client.get(url).status_code == 200, url


def test_healthz_names_the_cache_when_it_is_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]

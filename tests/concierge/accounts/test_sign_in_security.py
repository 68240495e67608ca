"""Lock-out, two-step sign-in, idle sessions and the admin (issue 16)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, make_user

LOGIN = "/accounts/login/"


def _sign_in(http, username, password=PASSWORD, url=LOGIN, **extra):
    return http.post(url, {"username": username, "password": password}, **extra)


def _code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Lock-out
def test_repeated_wrong_passwords_lock_the_account_even_with_the_right_one(client, concierge):
    for _ in range(4):
        assert _sign_in(client, "owner", "wrong-password").status_code == 200
    assert _sign_in(client, "owner", "wrong-password").status_code == 429  # the fifth
    response = _sign_in(client, "owner")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_from_any_address(client, concierge):
    for i in range(5):
        _sign_in(client, "owner", "wrong", REMOTE_ADDR=f"10.0.0.{i}")
    assert _sign_in(client, "owner", REMOTE_ADDR="10.9.9.9").status_code == 429


def test_the_lock_is_per_address_for_any_account(client, concierge, colleague):
    for i in range(5):
        _sign_in(client, f"nobody-{i}", "wrong", REMOTE_ADDR="10.0.0.7")
    assert _sign_in(client, "colleague", REMOTE_ADDR="10.0.0.7").status_code == 429
    assert _sign_in(client, "colleague", REMOTE_ADDR="10.0.0.8").status_code == 302


def test_the_admin_login_locks_out_too(client, db):
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(5):
        _sign_in(client, "root", "wrong", url="/admin/login/")
    response = _sign_in(client, "root", url="/admin/login/")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_out_page_is_in_french_too(client, concierge):
    for _ in range(5):
        _sign_in(client, "owner", "wrong")
    response = _sign_in(client, "owner", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Connexion bloquée" in response.content.decode()


def test_a_manager_unlocks_a_team_member(client, concierge, manager, outsider):
    for _ in range(5):
        _sign_in(client, "owner", "wrong")
    client.force_login(manager)
    page = client.get("/team/sign-in/").content.decode()
    assert "Camille" in page and "Locked" in page
    response = client.post(f"/team/sign-in/{outsider.pk}/unlock/")
    assert response.status_code == 404
    client.post(f"/team/sign-in/{concierge.pk}/unlock/")
    assert not AccessAttempt.objects.filter(username="owner").exists()
    client.logout()
    assert _sign_in(client, "owner").status_code == 302


def test_a_concierge_cannot_unlock_anyone(concierge_client, colleague):
    assert concierge_client.get("/team/sign-in/").status_code == 404
    assert concierge_client.post(f"/team/sign-in/{colleague.pk}/unlock/").status_code == 404


# Passwords
def test_a_short_password_is_refused(concierge):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short-pass1", concierge)
    validate_password("a much longer passphrase", concierge)


# Two-step sign-in
def test_a_user_with_a_device_must_give_a_code_before_anything(client, concierge):
    device = _device(concierge)
    response = _sign_in(client, "owner")
    assert response.status_code == 302
    response = client.get("/clients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/code/")
    hx = client.get("/clients/", headers={"HX-Request": "true"})
    assert hx["HX-Redirect"].startswith("/accounts/code/")
    response = client.post("/accounts/code/?next=/clients/", {"code": _code(device)})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert client.get("/clients/").status_code == 200


def test_a_wrong_code_is_refused(client, concierge):
    device = _device(concierge)
    _sign_in(client, "owner")
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/code/", {"code": wrong})
    assert response.status_code == 200
    assert "wrong, expired or already used" in response.content.decode()
    assert client.get("/clients/").status_code == 302


def test_a_replayed_code_is_refused(client, concierge):
    device = _device(concierge)
    code = _code(device)
    _sign_in(client, "owner")
    assert client.post("/accounts/code/", {"code": code}).status_code == 302
    client.logout()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    _sign_in(client, "owner")
    response = client.post("/accounts/code/", {"code": code})
    assert response.status_code == 200
    assert client.get("/clients/").status_code == 302


def test_the_admin_login_asks_for_the_code_too(client, db):
    root = make_user("root", is_staff=True, is_superuser=True)
    _device(root)
    _sign_in(client, "root", url="/admin/login/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/code/")


@pytest.fixture
def enforced(settings):
    settings.OTP_REQUIRED_FOR_MANAGERS = True


def test_a_manager_without_a_device_is_sent_to_set_one_up(client, manager, enforced):
    _sign_in(client, "manager")
    response = client.get("/agenda/")
    assert response.status_code == 302
    assert response["Location"].startswith("/me/two-step/")
    page = client.get("/me/two-step/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "otpauth://totp/Concierge%3Amanager?secret=" in text
    assert 'src="data:image/svg+xml' in text
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert client.post("/me/two-step/", {"code": "000000"}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no waiting
    response = client.post("/me/two-step/", {"code": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert client.get("/agenda/").status_code == 200


def test_a_manager_may_not_turn_it_off(client, manager, enforced):
    device = _device(manager)
    _sign_in(client, "manager")
    client.post("/accounts/code/", {"code": _code(device)})
    later = _code(device, at=timezone.now().timestamp() + 30)
    response = client.post("/me/two-step/", {"code": later})
    assert "Managers must keep it on" in response.content.decode()
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_relaxed_in_development_a_manager_signs_in_without(client, manager, settings):
    settings.OTP_REQUIRED_FOR_MANAGERS = False
    _sign_in(client, "manager")
    assert client.get("/agenda/").status_code == 200


def test_a_concierge_turns_it_on_then_off_from_the_menu(client, concierge):
    _sign_in(client, "owner")
    assert "/me/two-step/" in client.get("/agenda/").content.decode()
    client.get("/me/two-step/")
    device = TOTPDevice.objects.get(user=concierge)
    now = timezone.now().timestamp()
    client.post("/me/two-step/", {"code": _code(device, at=now)})
    device.refresh_from_db()
    assert device.confirmed
    page = client.get("/me/two-step/").content.decode()
    assert "Two-step sign-in is on" in page
    client.post("/me/two-step/", {"code": _code(device, at=now + 30)})
    assert not TOTPDevice.objects.filter(user=concierge).exists()


# Sessions
def test_a_session_ends_after_the_idle_time_but_not_while_used(client, concierge, settings):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "owner")
        for _ in range(3):
            clock.shift(datetime.timedelta(hours=5))
            assert client.get("/agenda/").status_code == 200
        for _ in range(3):  # the bell polls by itself: not activity
            clock.shift(datetime.timedelta(hours=3))
            client.get("/notifications/count/")
        response = client.get("/agenda/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_session_cookie_lasts_the_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS == 8 * 3600


# The admin
def test_the_admin_is_for_superusers_only(client, manager):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    assert client.get("/admin/").status_code == 302


def test_the_admin_lists_only_the_clients_the_operator_may_see(client, concierge, outsider):
    from tests.factories import ClientFactory

    mine = ClientFactory(primary_concierge=concierge, last_name="Visible")
    ClientFactory(primary_concierge=outsider, last_name="Hidden")
    root = make_user("root", is_staff=True, is_superuser=True, role="manager", team=concierge.team)
    client.force_login(root)
    page = client.get("/admin/clients/client/").content.decode()
    assert "Visible" in page and "Hidden" not in page
    assert client.get(f"/admin/clients/client/{mine.pk}/change/").status_code == 200

"""The README's production steps, in their order, on a fresh database (issue 16): migrate with
DEBUG off before collectstatic, collectstatic, then the deploy check with no warning."""

import os
import subprocess
import sys

from tests.conftest import ROOT

SECURITY_ENV = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_COOKIES",
    "SECURE_PROXY_SSL_HEADER",
]


def production_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", *SECURITY_ENV}
        and not k.startswith("DJANGO_")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="a-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="concierge.example.com",
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        **extra,
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_readme_production_steps_run_in_order_and_the_deploy_check_is_clean(tmp_path):
    env = production_env(tmp_path)
    for step in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["check", "--deploy", "--fail-level", "WARNING"],
    ):
        result = manage(env, *step)
        assert result.returncode == 0, (step, result.stdout[-2000:], result.stderr[-4000:])
    assert "no issues" in result.stdout + result.stderr
    assert "0 silenced" in result.stdout + result.stderr


def test_a_protection_turned_off_for_a_proxy_is_not_a_warning_but_the_default_is_on(tmp_path):
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="0")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr[-2000:]
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "concierge.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["True", "31536000", "True", "True", "True"]

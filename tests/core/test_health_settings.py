"""Health probes, production settings and sign-in protection.

The settings checks run ``manage.py`` in a subprocess, since settings are read once per process.
"""

import base64
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "rjadmin.example.gov",
    # Victims' contact details: required when DEBUG is off, like SECRET_KEY (victims/crypto.py).
    "VICTIMS_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "VICTIMS_HASH_KEY": secrets.token_urlsafe(48),
}


def manage(*args, env_overrides=None):
    """Run manage.py with the test process's environment, less what a test run adds, changed as asked."""
    test_only = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_", "CELERY_TASK_ALWAYS_EAGER")
    env = {k: v for k, v in os.environ.items() if not k.startswith(test_only)}
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Health -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_is_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_200_with_database_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.fixture
def unreachable_broker():
    from rjadmin.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        app.conf.broker_url = saved


@pytest.mark.django_db
def test_readyz_is_503_when_broker_is_unreachable(client, unreachable_broker):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.django_db
def test_readyz_broker_restored_after_override(client):
    assert client.get("/readyz").status_code == 200


def test_health_urls_are_exempt_from_the_ssl_redirect():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.SECURE_REDIRECT_EXEMPT)",
        env_overrides=PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "True" in result.stdout
    assert "healthz" in result.stdout
    assert "readyz" in result.stdout


# Production settings ----------------------------------------------------------------------------
def test_check_deploy_passes_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_refuses_a_weak_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": "too-short"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {**PRODUCTION, "SECRET_KEY_FILE": str(key_file)}
    del env["SECRET_KEY"]
    result = manage(
        "shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))", env_overrides=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(len(PRODUCTION["SECRET_KEY"]))


# Sign-in and django-axes ------------------------------------------------------------------------
@pytest.mark.django_db
def test_login_page_works(world, client):
    login = reverse("login")
    page = client.get(login)
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(login, {"username": "officer.d9", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_login_wrong_password_shows_the_form_again(world, client):
    response = client.post(reverse("login"), {"username": "officer.d9", "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_axes_locks_out_after_failure_limit(world, client):
    from axes.models import AccessAttempt

    login = reverse("login")
    limit = settings.AXES_FAILURE_LIMIT
    assert limit >= 3
    for _ in range(limit - 1):
        response = client.post(login, {"username": "officer.d9", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post(login, {"username": "officer.d9", "password": "wrong-password"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert AccessAttempt.objects.get(username="officer.d9").failures_since_start == limit
    # Locked out: the right password is refused too, and no session is made.
    response = client.post(login, {"username": "officer.d9", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:dashboard")).status_code == 302
    # The lock is on that account from that address: another account still signs in.
    response = client.post(login, {"username": "supervisor.d9", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_axes_success_before_the_limit_resets_the_count(world, client):
    from axes.models import AccessAttempt

    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": "officer.d9", "password": "wrong-password"})
    assert client.post(login, {"username": "officer.d9", "password": DEFAULT_PASSWORD}).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer.d9").exists()


@pytest.mark.parametrize("name", ["VICTIMS_ENCRYPTION_KEYS", "VICTIMS_HASH_KEY"])
def test_production_refuses_to_start_without_the_victims_keys(name):
    env = {k: v for k, v in PRODUCTION.items() if k != name}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert f"{name} (or {name}_FILE) must be set when DEBUG is off" in result.stderr

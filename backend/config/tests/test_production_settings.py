"""Production settings (DEBUG=False), each checked in a fresh process as the
server would start them."""

import re
import secrets
import subprocess
import sys

import pytest

from .support import BACKEND_DIR, process_env

# What `check --deploy` still reports when the API runs behind a TLS proxy that
# owns HTTPS: the redirect to HTTPS (W008) and HSTS (W004). Anything new fails.
HTTPS_LEFT_TO_THE_PROXY = {"security.W004", "security.W008"}
# With the redirect and HSTS turned on here instead, what remains is the HSTS
# scope, a decision about the whole domain (subdomains W005, preload list W021).
HSTS_SCOPE_LEFT_TO_THE_DOMAIN_OWNER = {"security.W005", "security.W021"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BACKEND_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env=process_env(DATABASE_URL=None, **env),
    )


def production(**env: str) -> dict[str, str]:
    return {
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "api.example.com",
        **env,
    }


def reported_checks(result: subprocess.CompletedProcess) -> set[str]:
    return set(re.findall(r"\(([a-z_]+\.[A-Z]\d+)\)", result.stdout + result.stderr))


@pytest.mark.parametrize("secret_key", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_production_refuses_to_start_without_a_secret_key(secret_key):
    result = manage("check", DEBUG="False", SECRET_KEY=secret_key)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG=False" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_development_starts_without_a_secret_key():
    result = manage("check", DEBUG="True", SECRET_KEY=None)

    assert result.returncode == 0, result.stderr


def test_check_deploy_leaves_only_the_https_settings_a_proxy_owns():
    result = manage("check", "--deploy", **production())

    assert result.returncode == 0, result.stderr
    assert reported_checks(result) == HTTPS_LEFT_TO_THE_PROXY


def test_check_deploy_with_https_enabled_leaves_only_the_hsts_scope():
    result = manage(
        "check", "--deploy", **production(SECURE_SSL_REDIRECT="True", SECURE_HSTS_SECONDS="31536000")
    )

    assert result.returncode == 0, result.stderr
    assert reported_checks(result) == HSTS_SCOPE_LEFT_TO_THE_DOMAIN_OWNER


def test_production_cookies_are_secure_by_default():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )

    result = manage("shell", "--no-imports", "-c", code, **production())

    assert result.stdout.split() == ["True", "True", "False"], result.stderr


def test_empty_variables_fall_back_to_their_defaults():
    code = (
        "from django.conf import settings as s; "
        "print(s.OPENAI_MODEL, s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['classify'], s.OPENAI_TIMEOUT)"
    )

    result = manage(
        "shell", "--no-imports", "-c", code, OPENAI_MODEL="", CLASSIFY_RATE=" ", OPENAI_TIMEOUT=""
    )

    assert result.stdout.split() == ["gpt-4o", "60/minute", "10.0"], result.stderr


@pytest.mark.parametrize(
    "debug, api_auth, expected",
    [
        ("False", None, "required"),
        ("False", "", "required"),
        ("True", None, "open"),
        ("False", "OPEN", "open"),
    ],
)
def test_the_api_is_closed_in_production_unless_opened_on_purpose(debug, api_auth, expected):
    code = "from django.conf import settings as s; print(s.API_AUTH)"
    env = production(DEBUG=debug, API_AUTH=api_auth)
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.stdout.split() == [expected], result.stderr


def test_an_unknown_api_auth_mode_refuses_to_start():
    result = manage("check", **production(API_AUTH="maybe"))
    assert result.returncode != 0
    assert "API_AUTH must be 'open' or 'required'" in result.stderr

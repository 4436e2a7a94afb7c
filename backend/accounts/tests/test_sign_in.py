"""Session sign-in for the app: CSRF, cookies, throttling, same answer for a
wrong username and a wrong password, Argon2."""

import statistics
import time

import pytest
from django.contrib.sessions.models import Session
from rest_framework.test import APIClient

from accounts.throttles import LoginAddressThrottle, LoginUsernameThrottle
from devtools.clients import StreamReadingAPIClient

from .conftest import session_client
from .factories import PASSWORD, make_agent


def csrf_client() -> tuple[APIClient, str]:
    client = StreamReadingAPIClient(enforce_csrf_checks=True)
    return client, client.get("/api/auth/csrf/").json()["csrf_token"]


def sign_in(client, csrf, username, password, **extra):
    return client.post(
        "/api/auth/login/",
        {"username": username, "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
        **extra,
    )


def test_sign_in_sets_an_httponly_lax_session_cookie_and_returns_the_agent(required, agent):
    client, csrf = csrf_client()

    response = sign_in(client, csrf, "ada", PASSWORD)

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("id", "username", "name", "is_admin")} == {
        "id": agent.pk,
        "username": "ada",
        "name": "Ada Lovelace",
        "is_admin": False,
    }
    assert body["csrf_token"]
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get("/api/auth/me/").status_code == 200


def test_sign_in_without_the_csrf_token_is_refused(required, agent):
    client = StreamReadingAPIClient(enforce_csrf_checks=True)
    response = client.post("/api/auth/login/", {"username": "ada", "password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert "sessionid" not in response.cookies


def test_the_app_on_its_own_origin_may_sign_in_and_others_may_not(required, agent):
    client, csrf = csrf_client()
    allowed = sign_in(client, csrf, "ada", PASSWORD, HTTP_ORIGIN="http://localhost:3000")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert allowed["Access-Control-Allow-Credentials"] == "true"

    client, csrf = csrf_client()
    forged = sign_in(client, csrf, "ada", PASSWORD, HTTP_ORIGIN="http://evil.example")
    assert forged.status_code == 403
    assert "Access-Control-Allow-Origin" not in forged


def test_a_wrong_username_and_a_wrong_password_get_the_same_answer(required, agent):
    client, csrf = csrf_client()
    unknown = sign_in(client, csrf, "nobody", PASSWORD)
    wrong = sign_in(client, csrf, "ada", "not the password")
    make_agent("sleeper", is_active=False)
    inactive = sign_in(client, csrf, "sleeper", PASSWORD)

    for response in (unknown, wrong, inactive):
        assert response.status_code == 400
        assert response.json() == {"detail": "Wrong username or password."}
        assert "sessionid" not in response.cookies


@pytest.mark.real_hashers
def test_a_wrong_username_takes_about_as_long_as_a_wrong_password(required, settings, monkeypatch):
    monkeypatch.setattr(LoginAddressThrottle, "THROTTLE_RATES", {"login": "1000/minute"})
    monkeypatch.setattr(LoginUsernameThrottle, "THROTTLE_RATES", {"login": "1000/minute"})
    make_agent("ada")
    client, csrf = csrf_client()

    def median_seconds(username):
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            assert sign_in(client, csrf, username, "wrong password").status_code == 400
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    unknown, wrong = median_seconds("nobody"), median_seconds("ada")
    # Both run one Argon2 hash; without that, an unknown name answers in well under 1/10 of the time.
    assert 0.5 < unknown / wrong < 2, (unknown, wrong)


@pytest.mark.real_hashers
def test_passwords_are_hashed_with_argon2(db):
    assert make_agent("ada").password.startswith("argon2$")


def test_sign_in_is_throttled_per_username_with_retry_after(required, agent, monkeypatch):
    monkeypatch.setattr(LoginUsernameThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    monkeypatch.setattr(LoginAddressThrottle, "THROTTLE_RATES", {"login": "1000/minute"})
    client, csrf = csrf_client()
    for _ in range(3):
        assert sign_in(client, csrf, "ada", "guess").status_code == 400

    response = sign_in(client, csrf, "ADA", PASSWORD)  # the right password, too late

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()
    assert sign_in(client, csrf, "grace", "guess").status_code == 400  # other names still answer


def test_sign_in_is_throttled_per_client_address(required, agent, monkeypatch):
    monkeypatch.setattr(LoginAddressThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    monkeypatch.setattr(LoginUsernameThrottle, "THROTTLE_RATES", {"login": "1000/minute"})
    client, csrf = csrf_client()
    for name in ("a", "b", "c"):
        sign_in(client, csrf, name, "guess")

    response = sign_in(client, csrf, "ada", PASSWORD)

    assert response.status_code == 429 and int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "ada"},
        {"username": 5, "password": "x"},
        {"username": "ada", "password": "x", "extra": 1},
        [],
    ],
)
def test_sign_in_with_a_malformed_body_is_a_400(required, agent, body):
    client, csrf = csrf_client()
    response = client.post("/api/auth/login/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 400


def test_sign_out_ends_the_session(required, agent):
    client = session_client("ada", with_csrf=True)
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401
    assert client.get("/api/tickets/").status_code == 401


def test_a_deactivated_agent_loses_the_session_at_once(required, agent):
    client = session_client("ada", with_csrf=True)
    assert client.get("/api/tickets/").status_code == 200  # cached now
    agent.is_active = False
    agent.save()  # as the admin does
    assert client.get("/api/tickets/").status_code == 401


def test_me_without_credentials_is_401_even_in_open_mode(db, settings):
    settings.API_AUTH = "open"
    assert StreamReadingAPIClient().get("/api/auth/me/").status_code == 401


def test_a_session_ended_elsewhere_stops_working_within_the_cache_time(required, agent, settings):
    settings.AUTH_CACHE_SECONDS = 0.5
    client = session_client("ada", with_csrf=True)
    assert client.get("/api/tickets/").status_code == 200  # cached now

    Session.objects.all().delete()  # as a sign-out in another worker would

    deadline = time.monotonic() + 2
    while client.get("/api/tickets/").status_code == 200:
        assert time.monotonic() < deadline, "sign-out not effective within the cache time"
        time.sleep(0.1)


def test_a_cached_session_still_needs_the_csrf_token(required, agent):
    client = session_client("ada", with_csrf=False)
    assert client.get("/api/tickets/").status_code == 200  # cached now
    response = client.post("/api/tickets/classify/", {"description": "x"}, format="json")
    assert response.status_code == 403

import pytest
from rest_framework.test import APIClient

from accounts.authentication import forget_all_tokens
from devtools.clients import StreamReadingAPIClient

from .factories import PASSWORD, make_agent


@pytest.fixture(autouse=True)
def _no_cached_tokens():
    forget_all_tokens()
    yield
    forget_all_tokens()


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings, request):
    if "real_hashers" not in request.keywords:
        settings.PASSWORD_HASHERS = ["accounts.tests.hashers.QuickArgon2PasswordHasher"]


@pytest.fixture
def required(settings):
    settings.API_AUTH = "required"
    settings.PUBLIC_SUBMISSION = False
    return settings


@pytest.fixture
def agent(db):
    return make_agent("ada")


@pytest.fixture
def admin_agent(db):
    return make_agent("root", name="Root Admin", is_admin=True)


def session_client(username: str, *, with_csrf: bool) -> APIClient:
    """A browser-like client signed in through the API, sending the CSRF token
    on unsafe requests only if asked to."""
    client = StreamReadingAPIClient(enforce_csrf_checks=True)
    csrf = client.get("/api/auth/csrf/").json()["csrf_token"]
    response = client.post(
        "/api/auth/login/", {"username": username, "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 200, response.content
    if with_csrf:
        client.credentials(HTTP_X_CSRFTOKEN=response.json()["csrf_token"])
    return client

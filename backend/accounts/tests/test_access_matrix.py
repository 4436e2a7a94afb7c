"""With API_AUTH=required: every endpoint and method, with each kind of
credentials, gets the expected status, and a refused request writes nothing."""

import hashlib
import secrets

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create
from devtools.clients import StreamReadingAPIClient
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

from .conftest import session_client
from .factories import make_agent, make_token

NEW_TICKET = {
    "title": "Printer offline",
    "description": "It stopped after the update",
    "category": "technical",
    "priority": "low",
}

# (name, method, path, body); {ticket}, {token} and {other} are filled in per test.
ENDPOINTS = [
    ("list tickets", "get", "/api/tickets/", None),
    ("list tickets assigned to me", "get", "/api/tickets/?assignee=me", None),
    ("create ticket", "post", "/api/tickets/", NEW_TICKET),
    ("get ticket", "get", "/api/tickets/{ticket}/", None),
    ("patch ticket", "patch", "/api/tickets/{ticket}/", {"status": "closed", "assignee": None}),
    ("stats", "get", "/api/tickets/stats/", None),
    ("classify", "post", "/api/tickets/classify/", {"description": "Charged twice"}),
    ("list agents", "get", "/api/agents/", None),
    (
        "create agent",
        "post",
        "/api/agents/",
        {"username": "newbie", "password": "a long enough passphrase 7"},
    ),
    ("change agent", "patch", "/api/agents/{other}/", {"name": "Renamed"}),
    ("me", "get", "/api/auth/me/", None),
    ("list tokens", "get", "/api/auth/tokens/", None),
    ("create token", "post", "/api/auth/tokens/", {"name": "ci"}),
    ("revoke token", "delete", "/api/auth/tokens/{token}/", None),
    ("sign out", "post", "/api/auth/logout/", None),
]
UNSAFE = {"post", "patch", "delete"}

# What a regular (non-admin) agent gets with valid credentials.
AGENT_STATUS = {
    "list tickets": 200,
    "list tickets assigned to me": 200,
    "create ticket": 201,
    "get ticket": 200,
    "patch ticket": 200,
    "stats": 200,
    "classify": 200,
    "list agents": 200,
    "create agent": 403,
    "change agent": 403,
    "me": 200,
    "list tokens": 200,
    "revoke token": 204,
    "sign out": 204,
}
# A token may not mint tokens; a session may.
TOKEN_STATUS = {**AGENT_STATUS, "create token": 403}
SESSION_STATUS = {**AGENT_STATUS, "create token": 201}
ADMIN_STATUS = {**SESSION_STATUS, "create agent": 201, "change agent": 200}


def database_state() -> str:
    """A digest of everything a request could change."""
    rows = [
        list(Ticket.objects.order_by("id").values_list()),
        list(ApiToken.objects.order_by("id").values_list("id", "name", "expiry", "user_id")),
        list(
            get_user_model()
            .objects.order_by("id")
            .values_list("id", "username", "first_name", "is_active", "is_staff", "password")
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def world(required, agent):
    other = make_agent("grace", name="Grace Hopper")
    ticket = make_ticket(assignee=agent)
    own_token, _ = token_create(user=agent, name="to revoke")
    return {"ticket": ticket.pk, "token": own_token.pk, "other": other.pk, "agent": agent}


def call(client, method, path, body, world):
    url = path.format(**world)
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


def token_client(key: str, keyword: str = "Token") -> APIClient:
    client = StreamReadingAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.mark.parametrize("name, method, path, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize(
    "credentials",
    [
        "anonymous",
        "bad token",
        "revoked token",
        "expired token",
        "inactive agent's token",
        "malformed header",
    ],
)
def test_requests_without_valid_credentials_get_401_and_write_nothing(
    world, credentials, name, method, path, body
):
    agent = world["agent"]
    if credentials == "anonymous":
        client = StreamReadingAPIClient()
    elif credentials == "bad token":
        client = token_client(secrets.token_hex(32))
    elif credentials == "revoked token":
        client = token_client(make_token(agent, state="revoked"))
    elif credentials == "expired token":
        client = token_client(make_token(agent, state="expired"))
    elif credentials == "inactive agent's token":
        client = token_client(make_token(make_agent("gone", is_active=False)))
    else:
        client = token_client("not a key")
    before = database_state()

    response = call(client, method, path, body, world)

    assert response.status_code == 401, response.content
    assert "detail" in response.json()
    assert response["WWW-Authenticate"] == "Token"
    assert database_state() == before


@pytest.mark.parametrize(
    "name, method, path, body",
    [e for e in ENDPOINTS if e[1] in UNSAFE],
    ids=[e[0] for e in ENDPOINTS if e[1] in UNSAFE],
)
def test_a_session_without_the_csrf_token_cannot_change_anything(world, name, method, path, body):
    client = session_client("ada", with_csrf=False)
    before = database_state()

    response = call(client, method, path, body, world)

    assert response.status_code == 403, response.content
    assert "CSRF" in response.json()["detail"]
    assert database_state() == before


@pytest.mark.parametrize("name, method, path, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_an_agent_with_a_token_gets_the_expected_answer(world, keyword, name, method, path, body):
    client = token_client(make_token(world["agent"]), keyword)
    before = database_state()

    response = call(client, method, path, body, world)

    assert response.status_code == TOKEN_STATUS[name], response.content
    if response.status_code == 403:
        assert database_state() == before


@pytest.mark.parametrize("name, method, path, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_an_agent_with_a_session_and_csrf_token_gets_the_expected_answer(world, name, method, path, body):
    client = session_client("ada", with_csrf=True)
    before = database_state()

    response = call(client, method, path, body, world)

    assert response.status_code == SESSION_STATUS[name], response.content
    if response.status_code == 403:
        assert database_state() == before


@pytest.mark.parametrize("name, method, path, body", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_an_admin_may_also_manage_agents(world, admin_agent, name, method, path, body):
    client = session_client("root", with_csrf=True)
    if name == "revoke token":
        world = {**world, "token": token_create(user=admin_agent, name="mine")[0].pk}

    response = call(client, method, path, body, world)

    assert response.status_code == ADMIN_STATUS[name], response.content


def test_an_agent_cannot_revoke_another_agents_token(world):
    other_token, _ = token_create(user=get_user_model().objects.get(username="grace"), name="theirs")
    client = token_client(make_token(world["agent"]))

    response = client.delete(f"/api/auth/tokens/{other_token.pk}/")

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=other_token.pk).exists()


@pytest.mark.parametrize(
    "method, path",
    [("get", "/api/schema/"), ("get", "/api/docs/"), ("get", "/api/auth/csrf/")],
)
def test_the_schema_docs_and_csrf_token_need_no_credentials(required, db, method, path):
    assert getattr(StreamReadingAPIClient(), method)(path).status_code == 200


def test_sign_in_needs_no_credentials(required, agent):
    client = session_client("ada", with_csrf=True)
    assert client.get("/api/auth/me/").json() == {
        "id": agent.pk,
        "username": "ada",
        "name": "Ada Lovelace",
        "is_admin": False,
    }


def test_public_submission_opens_only_ticket_creation_and_classify(required, agent, settings):
    settings.PUBLIC_SUBMISSION = True
    client = StreamReadingAPIClient()
    ticket = make_ticket()

    assert client.post("/api/tickets/", NEW_TICKET, format="json").status_code == 201
    assert (
        client.post("/api/tickets/classify/", {"description": "Charged twice"}, format="json").status_code
        == 200
    )
    assert client.get("/api/tickets/").status_code == 401
    assert client.get(f"/api/tickets/{ticket.pk}/").status_code == 401
    assert client.patch(f"/api/tickets/{ticket.pk}/", {"status": "closed"}, format="json").status_code == 401
    assert client.get("/api/tickets/stats/").status_code == 401
    assert client.get("/api/agents/").status_code == 401

"""API tokens: hashed at rest, shown once, named, expiring, revocable, never logged."""

import logging
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken
from devtools.clients import StreamReadingAPIClient

from .conftest import session_client
from .factories import make_agent, make_token


def token_client(key):
    client = StreamReadingAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_new_token_shows_its_key_once_and_stores_only_a_digest(required, agent, caplog):
    client = session_client("ada", with_csrf=True)
    expiry = (timezone.now() + timedelta(days=30)).isoformat()

    with caplog.at_level(logging.DEBUG):
        created = client.post("/api/auth/tokens/", {"name": "ci", "expiry": expiry}, format="json")
        key = created.json()["key"]
        assert token_client(key).get("/api/tickets/").status_code == 200

    assert created.status_code == 201
    assert set(created.json()) == {"id", "name", "created", "expiry", "key"}
    listed = client.get("/api/auth/tokens/").json()
    assert [set(t) for t in listed] == [{"id", "name", "created", "expiry"}]
    stored = ApiToken.objects.get()
    assert key not in {stored.digest, stored.token_key} and len(stored.digest) == 128
    assert key not in caplog.text


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ci", "expiry": "2000-01-01T00:00:00Z"}, "expiry"),
        ({"name": "ci", "expiry": "tomorrow"}, "expiry"),
        ({"name": "ci", "key": "chosen"}, "key"),
    ],
)
def test_a_token_with_bad_input_is_refused_with_the_field_named(required, agent, body, field):
    client = session_client("ada", with_csrf=True)
    response = client.post("/api/auth/tokens/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not ApiToken.objects.exists()


def test_a_token_without_expiry_never_expires(required, agent):
    client = session_client("ada", with_csrf=True)
    created = client.post("/api/auth/tokens/", {"name": "forever"}, format="json").json()
    assert created["expiry"] is None


def test_revoking_a_token_takes_effect_at_once_in_this_worker(required, agent):
    key = make_token(agent)
    client = token_client(key)
    assert client.get("/api/tickets/").status_code == 200  # cached now
    token_id = ApiToken.objects.get().pk

    assert client.delete(f"/api/auth/tokens/{token_id}/").status_code == 204
    assert client.get("/api/tickets/").status_code == 401


def test_a_token_revoked_elsewhere_stops_working_within_the_cache_time(required, agent, settings):
    settings.AUTH_CACHE_SECONDS = 0.5
    client = token_client(make_token(agent))
    assert client.get("/api/tickets/").status_code == 200

    ApiToken.objects.all().delete()  # as another worker's revocation would

    deadline = time.monotonic() + 2
    while client.get("/api/tickets/").status_code == 200:
        assert time.monotonic() < deadline, "revocation not effective within the cache time"
        time.sleep(0.1)


def test_an_expired_token_is_refused_with_a_clear_message(required, agent):
    response = token_client(make_token(agent, state="expired")).get("/api/tickets/")
    assert response.status_code == 401 and response.json() == {"detail": "Token expired."}


def test_create_token_command_prints_a_working_key_once(required, agent):
    out = StringIO()
    call_command("create_token", "ada", "--name", "ci", "--days", "7", stdout=out)
    key = out.getvalue().strip()

    assert token_client(key).get("/api/auth/me/").json()["username"] == "ada"
    token = ApiToken.objects.get()
    assert token.name == "ci" and token.expiry > timezone.now() + timedelta(days=6)


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody", "--name", "ci"], "No active agent"),
        (["ada", "--name", " "], "--name"),
        (["ada", "--name", "ci", "--days", "0"], "--days"),
    ],
)
def test_create_token_command_refuses_bad_input(agent, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_token", *args, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_createagent_command_makes_an_agent_who_can_sign_in(db, monkeypatch):
    monkeypatch.setenv("AGENT_PASSWORD", "a long enough passphrase 7")
    call_command("createagent", "grace", "--name", "Grace Hopper", stdout=StringIO())
    client = StreamReadingAPIClient()
    assert client.login(username="grace", password="a long enough passphrase 7")
    assert client.get("/api/auth/me/").json()["name"] == "Grace Hopper"


def test_createagent_command_applies_the_password_validators(db, monkeypatch):
    monkeypatch.setenv("AGENT_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createagent", "grace", stdout=StringIO())


def test_agents_list_shows_active_agents_only(required, agent):
    make_agent("sleeper", is_active=False)
    make_agent("root", name="", is_admin=True)
    listed = token_client(make_token(agent)).get("/api/agents/").json()
    assert listed == [
        {"id": agent.pk, "username": "ada", "name": "Ada Lovelace", "is_admin": False},
        {"id": listed[1]["id"], "username": "root", "name": "root", "is_admin": True},
    ]


def test_an_admin_creating_an_agent_gets_password_validation(required, admin_agent):
    client = session_client("root", with_csrf=True)
    weak = client.post("/api/agents/", {"username": "newbie", "password": "password"}, format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    taken = client.post(
        "/api/agents/", {"username": "root", "password": "a long enough passphrase 7"}, format="json"
    )
    assert taken.status_code == 400 and "username" in taken.json()


def test_an_admin_cannot_lock_themselves_out(required, admin_agent):
    client = session_client("root", with_csrf=True)
    response = client.patch(f"/api/agents/{admin_agent.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400


def test_a_deactivated_agent_loses_token_access(required, agent, admin_agent):
    key = make_token(agent)
    admin = session_client("root", with_csrf=True)
    assert admin.patch(f"/api/agents/{agent.pk}/", {"is_active": False}, format="json").status_code == 200
    assert token_client(key).get("/api/tickets/").status_code == 401

"""Schemathesis fuzzes every operation of the project's own /api/schema/.

Positive and negative data (NUL bytes included) go through the real WSGI app on
PostgreSQL, with the fake LLM answering classify. Any 5xx, any status the schema
does not document, or any body that breaks the schema fails the test, and so does
a 400 for data the schema allows (positive data must be accepted: the schema says
everything the API refuses, NUL characters included), except for opaque cursor
values. The seed is fixed and the number of examples bounded, so a run is
repeatable.
"""

import secrets
from collections import Counter

import pytest
import schemathesis
from accounts.models import ApiToken
from accounts.services import agent_create
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.crypto import hash_token
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

from .factories import make_ticket

SEED = 20240607
MAX_EXAMPLES = 60

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
        "checks": {"positive_data_acceptance": {"enabled": True}},
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "allow-x00": True,
            "database": "none",
        },
    }
)

examples = Counter()


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


@pytest.fixture
def ticket_ids(transactional_db):
    return [make_ticket(title=f"Fuzz target {n}").pk for n in range(3)]


SEMANTIC_REJECTIONS = {
    ("POST", "/api/agents/"): {"password", "username"},
    ("PATCH", "/api/agents/{id}/"): {"password", "detail"},
    ("POST", "/api/auth/tokens/"): {"expiry"},
    ("POST", "/api/tickets/"): {"assignee"},
    ("PATCH", "/api/tickets/{id}/"): {"assignee"},
}

# A fresh key per run, stored for the admin by the fixture (knox's digest).
ADMIN_KEY = secrets.token_hex(32)


@schema.auth(refresh_interval=None)
class AdminToken:
    """Every example carries an admin's token, so that every operation is
    reached past sign-in; Schemathesis also replays some without it, and with
    a wrong one, and expects those refused."""

    def get(self, case, context):
        return ADMIN_KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture
def admin_token(transactional_db):
    admin = agent_create(username="fuzz-admin", password="fuzzing passphrase 2024", is_admin=True)
    ApiToken(digest=hash_token(ADMIN_KEY), token_key=ADMIN_KEY[:15], user=admin, name="fuzz").save()


@pytest.fixture(autouse=True)
def _app_under_fuzz(fake_llm, monkeypatch, settings):
    # Closed, as in production: Schemathesis also checks that requests with
    # missing or invalid credentials are refused.
    settings.API_AUTH = "required"
    # Let classify reach the fake LLM for every example rather than the throttle.
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "classify": "100000/minute", "ticket_write": "100000/minute"},
    )
    # As Django's test client does: keep the test's connection across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request):
    yield
    if examples:
        per_operation = ", ".join(f"{name}: {n}" for name, n in sorted(examples.items()))
        with request.config.pluginmanager.get_plugin("capturemanager").global_and_fixture_disabled():
            print(f"\nschema fuzzing: {sum(examples.values())} examples ({per_operation})")


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_within_its_schema(case, ticket_ids, admin_token):
    examples[f"{case.method} {case.path}"] += 1
    for name in ("id", "ticket_id"):
        ticket_id = (case.path_parameters or {}).get(name)
        if isinstance(ticket_id, int) and ticket_id % 2 == 0:
            # Half the generated ids point at real tickets, so PATCH and GET reach them.
            case.path_parameters[name] = ticket_ids[ticket_id % len(ticket_ids)]
    response = case.call()
    excluded = []
    semantic = SEMANTIC_REJECTIONS.get((case.method, case.path), set())
    if response.status_code == 400 and set(response.json()) <= semantic:
        # Well-formed but refused for what it means: a weak password, a taken
        # username, an expiry in the past, an agent id nobody has.
        excluded.append(positive_data_acceptance)
    if response.status_code == 400 and set(response.json()) == {"cursor"}:
        # A cursor is an opaque token from a `next` link: any string fits the
        # schema, but only the server's own tokens are accepted.
        excluded.append(positive_data_acceptance)
    if response.status_code == 400 and "Null characters are not allowed." in str(response.json()):
        # NUL cannot be stored in PostgreSQL text; the schema's string patterns do not say so.
        excluded.append(positive_data_acceptance)
    if response.status_code == 400 and set(response.json()) == {"suggestion_id"}:
        # Likewise a suggestion id: any integer fits the schema, but only an unused
        # one that classify returned recently is accepted.
        excluded.append(positive_data_acceptance)
    if response.status_code == 412:
        # Likewise an If-Match tag: only the server's own current ETag matches.
        excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded)


@pytest.mark.django_db
def test_every_status_the_api_can_return_is_documented(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]
    documented = {
        (path, method): set(op["responses"]) for path, item in paths.items() for method, op in item.items()
    }
    expected = {
        ("/api/tickets/", "get"): {"200", "400", "401", "503"},
        ("/api/tickets/", "post"): {"201", "400", "401", "403", "413", "415", "429", "503"},
        ("/api/tickets/{id}/", "get"): {"200", "401", "404", "503"},
        ("/api/tickets/{id}/", "patch"): {
            "200",
            "400",
            "401",
            "403",
            "404",
            "412",
            "413",
            "415",
            "429",
            "503",
        },
        ("/api/tickets/stats/", "get"): {"200", "401", "503"},
        ("/api/tickets/classify/", "post"): {"200", "400", "401", "403", "413", "415", "429", "503"},
        ("/api/auth/csrf/", "get"): {"200", "503"},
        ("/api/auth/login/", "post"): {"200", "400", "403", "413", "415", "429", "503"},
        ("/api/auth/logout/", "post"): {"204", "401", "403", "503"},
        ("/api/auth/me/", "get"): {"200", "401", "503"},
        ("/api/auth/tokens/", "get"): {"200", "401", "503"},
        ("/api/auth/tokens/", "post"): {"201", "400", "401", "403", "413", "415", "503"},
        ("/api/auth/tokens/{id}/", "delete"): {"204", "401", "403", "404", "503"},
        ("/api/agents/", "get"): {"200", "401", "503"},
        ("/api/agents/", "post"): {"201", "400", "401", "403", "413", "415", "503"},
        ("/api/agents/{id}/", "patch"): {"200", "400", "401", "403", "404", "413", "415", "503"},
        ("/api/meta/", "get"): {"200", "401", "503"},
        ("/api/tickets/similar/", "get"): {"200", "400", "401", "503"},
        ("/api/triage/stats/", "get"): {"200", "400", "401", "503"},
        ("/api/tickets/{ticket_id}/history/", "get"): {"200", "400", "401", "404", "503"},
        ("/api/tickets/{ticket_id}/comments/", "get"): {"200", "400", "401", "404", "503"},
        ("/api/tickets/{ticket_id}/comments/", "post"): {
            "201",
            "400",
            "401",
            "403",
            "404",
            "413",
            "415",
            "503",
        },
        ("/api/events/", "get"): {"200", "400", "401", "503"},
    }
    assert set(documented) == set(expected)
    for operation, statuses in expected.items():
        assert statuses <= documented[operation], operation

"""Shared fixtures. Tests run on the database DATABASE_URL names (PostgreSQL in
CI); the header says which, and REQUIRE_DATABASE_VENDOR makes a wrong one fatal."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from devtools.clients import StreamReadingAPIClient
from devtools.fake_llm import FakeLLM


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    where = (
        f"{db['NAME']} on {db['HOST']}:{db.get('PORT') or 'default port'}"
        if db.get("HOST")
        else str(db["NAME"])
    )
    return f"database: {vendor} ({where})"


def pytest_sessionstart(session):
    required = os.environ.get("REQUIRE_DATABASE_VENDOR")
    if required and connection.vendor != required:
        pytest.exit(
            f"REQUIRE_DATABASE_VENDOR={required} but the tests would run on {connection.vendor}; "
            "set DATABASE_URL.",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    """The caches live in the database; start every test with them empty."""
    caches["default"].clear()
    caches["throttle"].clear()
    yield


@pytest.fixture
def api():
    return StreamReadingAPIClient()


@pytest.fixture(scope="session")
def fake_llm_server():
    with FakeLLM() as server:
        yield server


@pytest.fixture
def fake_llm(fake_llm_server, settings):
    """A fake OpenAI-compatible server, with the settings pointing at it."""
    fake_llm_server.reset()
    settings.OPENAI_API_KEY = "sk-test-secret-key-123456"
    settings.OPENAI_BASE_URL = fake_llm_server.base_url
    settings.OPENAI_MODEL = "gpt-4o"
    settings.OPENAI_TIMEOUT = 2.0
    yield fake_llm_server
    fake_llm_server.reset()

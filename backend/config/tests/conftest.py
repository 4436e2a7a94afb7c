"""Fixtures of the deployment tests: databases created and dropped for one test."""

import os

import pytest

from devtools.db import database_name, drop_database, recreate_database
from devtools.live import PG_BIN, ThrowawayPostgres


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (CI sets it)")
    return url


@pytest.fixture
def empty_postgres_database():
    """A new, empty database on the PostgreSQL server of DATABASE_URL, named
    after it (tickets_ci -> tickets_ci_entrypoint); its URL."""
    url = _server_url()
    name = f"{database_name(url)}_entrypoint"
    yield recreate_database(url, name)
    drop_database(url, name)


@pytest.fixture
def throwaway_postgres():
    """A cluster of its own, created but not started: the test starts it."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"needs PostgreSQL 15 server binaries in {PG_BIN}")
    with ThrowawayPostgres(start=False) as cluster:
        yield cluster

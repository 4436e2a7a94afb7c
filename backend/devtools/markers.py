"""Markers for tests that need PostgreSQL (needs Django settings, unlike the
rest of devtools, which the load run imports without them)."""

import pytest
from django.conf import settings

from .live import PG_BIN

# Live servers share the test database with the test, which SQLite's in-memory
# test database cannot do; the tally and trigram indexes exist on PostgreSQL only.
requires_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (set DATABASE_URL)",
)

requires_postgresql_binaries = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists(), reason=f"needs PostgreSQL server binaries in {PG_BIN} (set PG_BIN)"
)

"""Markers shared by the test modules."""

import pytest
from django.conf import settings

# Live servers share the test database with the test, which SQLite's in-memory
# test database cannot do.
requires_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="a live server shares the test database only on PostgreSQL",
)

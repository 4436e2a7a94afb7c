"""Databases made and dropped by name, on the server a URL names."""

import os

import psycopg2
import pytest

from devtools.db import database_name, drop_database, recreate_database, with_database
from devtools.markers import requires_postgresql


def test_with_database_keeps_credentials_host_and_options():
    url = "postgresql://app:secret@db.example:6432/tickets?sslmode=require"

    assert (
        with_database(url, "tickets_load")
        == "postgresql://app:secret@db.example:6432/tickets_load?sslmode=require"
    )
    assert database_name(url) == "tickets"


@requires_postgresql
def test_recreate_gives_an_empty_database_and_drop_removes_it():
    server = os.environ["DATABASE_URL"]
    name = f"{database_name(server)}_devtools"
    url = recreate_database(server, name)
    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE leftover (id int)")
        conn.close()
        url = recreate_database(server, name)
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cur.fetchone() == (0,)
        conn.close()
    finally:
        drop_database(server, name)
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(url)

"""The plain list streams from a cursor inside a transaction: rows leave before
the whole result is built, and a client that goes away ends the transaction."""

import socket
import time

import pytest
from django.db import connection

from devtools.db import database_url
from devtools.live import Gunicorn
from devtools.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sessions_in_transaction() -> int:
    """Other sessions of this database with a transaction open, whether running a
    statement (a FETCH while the client's socket still takes the rows) or idle
    in it (the server blocked writing to a client that does not read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_a_client_that_leaves_mid_stream_ends_the_lists_transaction():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'Ticket ' || g, repeat('printer offline again ', 20), 'general', 'low', 'open', "
            "now() - g * interval '1 second' FROM generate_series(1, 50000) AS g"
        )
    env = {"DATABASE_URL": database_url(connection.settings_dict)}
    with Gunicorn(env, workers=1, threads=2) as server:
        client = socket.create_connection(("127.0.0.1", server.port))
        client.settimeout(10)
        client.sendall(b"GET /api/tickets/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
        head = client.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
        # The server is now blocked writing the rest, inside the list's transaction.
        deadline = time.monotonic() + 10
        while sessions_in_transaction() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sessions_in_transaction() == 1
        client.close()
        deadline = time.monotonic() + 10
        while sessions_in_transaction() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sessions_in_transaction() == 0
        log = server.log()
    assert "Traceback" not in log


def test_a_streamed_list_closed_unread_ends_its_transaction():
    from rest_framework.test import APIClient

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'Ticket ' || g, 'Body', 'general', 'low', 'open', now() FROM generate_series(1, 5000) AS g"
        )
    response = APIClient().get("/api/tickets/")
    assert response.streaming and connection.in_atomic_block
    response.close()
    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        assert cursor.fetchone()[0] == 5000

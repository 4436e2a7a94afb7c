"""The API behind PgBouncer in transaction pooling mode: every request may
reach a different server connection, so nothing may rely on session state.
Checked: writes and reads, the streamed plain list (a server-side cursor over
many FETCHes), the statement timeout (SET LOCAL, never left on a server
connection), and many clients sharing a small pool."""

import json
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
from django.db import connection

from devtools.db import database_url
from devtools.live import Gunicorn, PgBouncer, http
from devtools.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROWS = 5_000  # more than two of the streamed list's 2,000-row FETCHes


@pytest.fixture
def bouncer():
    with PgBouncer(database_url(connection.settings_dict), pool_size=3) as pgbouncer:
        yield pgbouncer


@pytest.fixture
def api_behind_bouncer(bouncer):
    env = {
        "DATABASE_URL": bouncer.url,
        "DATABASE_DIRECT_URL": database_url(connection.settings_dict),
        "DB_STATEMENT_TIMEOUT": "5",
    }
    with Gunicorn(env, workers=2, threads=4) as server:
        yield server


def fill(rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'Ticket ' || g, repeat('printer offline again ', 10) || g, 'general', 'low', 'open', "
            "now() - g * interval '1 second' FROM generate_series(1, %s) AS g",
            [rows],
        )


def test_the_api_works_through_pgbouncer_in_transaction_pooling_mode(bouncer, api_behind_bouncer):
    url = api_behind_bouncer.url
    fill(ROWS)
    ticket = {"title": "Through the pooler", "description": "D", "category": "billing", "priority": "high"}
    status, _, body = http("POST", f"{url}/api/tickets/", json.dumps(ticket).encode())
    assert status == 201, body
    ticket_id = json.loads(body)["id"]
    status, _, body = http("PATCH", f"{url}/api/tickets/{ticket_id}/", b'{"status": "closed"}')
    assert status == 200 and json.loads(body)["status"] == "closed"

    status, _, body = http("GET", f"{url}/api/tickets/")
    assert status == 200
    listed = json.loads(body)
    assert len(listed) == ROWS + 1 and listed[0]["id"] == ticket_id

    status, _, body = http("GET", f"{url}/api/tickets/?page_size=50&search=printer")
    page = json.loads(body)
    assert status == 200 and len(page["results"]) == 50 and page["next"]
    status, _, body = http("GET", f"{url}/api/tickets/stats/")
    assert json.loads(body)["total_tickets"] == ROWS + 1

    pools = [p for p in bouncer.show("pools") if p["database"] == connection.settings_dict["NAME"]]
    assert pools and pools[0]["pool_mode"] == "transaction"


def test_many_clients_share_a_pool_of_three_server_connections(bouncer, api_behind_bouncer):
    url = api_behind_bouncer.url
    fill(ROWS)
    paths = [
        "/api/tickets/",
        "/api/tickets/?page_size=20",
        "/api/tickets/stats/",
        "/api/tickets/?limit=5",
    ] * 10

    def get(path):
        status, _, body = http("GET", url + path, timeout=60)
        if path == "/api/tickets/":
            assert len(json.loads(body)) == ROWS
        return status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(get, paths))
    assert statuses == [200] * len(paths)
    servers = [s for s in bouncer.show("servers") if s["database"] == connection.settings_dict["NAME"]]
    assert len(servers) <= 3


def test_the_statement_timeout_works_through_pgbouncer_and_leaves_no_session_setting(bouncer):
    fill(20_000)
    env = {"DATABASE_URL": bouncer.url, "DB_STATEMENT_TIMEOUT": "0.001"}
    with Gunicorn(env, workers=1, threads=2) as server:
        for query in ("?search=qx", "?search=qx&page_size=50"):
            status, _, body = http("GET", f"{server.url}/api/tickets/{query}")
            assert status == 503, body[:300]
            assert "3 or more characters" in json.loads(body)["error"]
    # Every server connection of the pool is back to the server's default.
    conns = [psycopg2.connect(bouncer.url) for _ in range(3)]
    try:
        for conn in conns:
            conn.autocommit = False  # each holds its server connection until rollback
            with conn.cursor() as cursor:
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone()[0] == "0"
    finally:
        for conn in conns:
            conn.rollback()
            conn.close()

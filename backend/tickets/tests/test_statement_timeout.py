"""DB_STATEMENT_TIMEOUT: a query that would hold the database too long is
stopped by PostgreSQL and answered with a JSON 503 that says how to narrow it.
Tested with a tiny limit and a real slow query (a two-character search or a
deep offset scans every row of a table of a few thousand tickets)."""

import time

import pytest
from django.db import connection

from devtools.markers import requires_postgresql
from tickets.models import Ticket
from tickets.pagination import MAX_OFFSET

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]

ROWS = 20_000
# The deepest offset the API accepts (MAX_OFFSET); deeper pages are keyset pages.
DEEPEST_OFFSET = min(ROWS - 1, MAX_OFFSET)


@pytest.fixture
def many_tickets():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
            "SELECT 'Ticket ' || g, repeat('printer offline again ', 10) || g, 'general', 'low', 'open', "
            "now() - g * interval '1 second' FROM generate_series(1, %s) AS g",
            [ROWS],
        )


def backend_is_idle() -> bool:
    """No statement of this database is still running but the one asking."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    "query",
    [
        "?search=qx",  # the plain, streamed list
        "?search=qx&page_size=50",
        "?search=q%20x&limit=10",
        f"?limit=1&offset={DEEPEST_OFFSET}",
    ],
    ids=["plain-list-short-search", "keyset-short-search", "offset-short-words", "deep-offset"],
)
def test_a_query_past_the_statement_timeout_answers_a_json_503_saying_how_to_narrow_it(
    api, settings, many_tickets, query
):
    settings.DB_STATEMENT_TIMEOUT = 0.001
    started = time.monotonic()
    response = api.get(f"/api/tickets/{query}")
    elapsed = time.monotonic() - started

    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "Retry-After" not in response
    message = response.json()["error"]
    assert "took longer than 0.001 s" in message
    assert "3 or more characters" in message and "keyset pages" in message
    assert elapsed < 2
    assert backend_is_idle()


def test_the_same_queries_answer_under_the_default_limit_and_the_connection_stays_usable(
    api, settings, many_tickets
):
    settings.DB_STATEMENT_TIMEOUT = 0.001
    assert api.get("/api/tickets/?search=qx&page_size=50").status_code == 503
    settings.DB_STATEMENT_TIMEOUT = 5
    response = api.get("/api/tickets/?search=qx&page_size=50")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert len(api.get(f"/api/tickets/?limit=1&offset={DEEPEST_OFFSET}").json()["results"]) == 1


def test_the_limit_is_per_transaction_and_never_left_on_the_session(api, settings, many_tickets):
    settings.DB_STATEMENT_TIMEOUT = 0.001
    assert api.get("/api/tickets/?search=qx").status_code == 503
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_writes_and_statistics_run_under_the_limit_too(api, settings):
    settings.DB_STATEMENT_TIMEOUT = 5
    ticket = {"title": "T", "description": "D", "category": "billing", "priority": "low"}
    created = api.post("/api/tickets/", ticket, format="json")
    assert created.status_code == 201
    assert (
        api.patch(f"/api/tickets/{created.json()['id']}/", {"status": "closed"}, format="json").status_code
        == 200
    )
    assert api.get("/api/tickets/stats/").json()["total_tickets"] == 1


def test_a_zero_limit_means_none(api, settings, many_tickets):
    settings.DB_STATEMENT_TIMEOUT = 0
    assert api.get("/api/tickets/?search=qx&page_size=50").status_code == 200


def _bulk_priority(api, count: int):
    ids = list(Ticket.objects.order_by("id").values_list("id", flat=True)[:count])
    return api.post("/api/tickets/bulk/", {"ids": ids, "set": {"priority": "high"}}, format="json")


def test_a_bulk_change_runs_under_the_bulk_limit_not_the_query_limit(api, settings, many_tickets):
    # 5,000 tickets, each with a history entry and new index entries: far past 20 ms.
    settings.DB_STATEMENT_TIMEOUT = 0.02
    settings.DB_BULK_STATEMENT_TIMEOUT = 30
    response = _bulk_priority(api, 5000)

    assert response.status_code == 200, response.content[:300]
    assert response.json() == {"updated": 5000}
    assert Ticket.objects.filter(priority="high").count() == 5000
    # The other requests keep the query limit.
    assert api.get("/api/tickets/?search=qx&page_size=50").status_code == 503


def test_a_bulk_change_past_the_bulk_limit_is_the_json_503_and_changes_nothing(api, settings, many_tickets):
    settings.DB_STATEMENT_TIMEOUT = 5
    settings.DB_BULK_STATEMENT_TIMEOUT = 0.02
    response = _bulk_priority(api, 5000)

    assert response.status_code == 503, response.content[:300]
    assert response.json() == {
        "error": "The bulk change took longer than 0.02 s and was stopped; nothing was changed. "
        "Change fewer tickets at once."
    }
    assert not Ticket.objects.filter(priority="high").exists()
    assert backend_is_idle()
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"

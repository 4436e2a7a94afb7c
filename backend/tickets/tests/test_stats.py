"""Statistics: values on known data, an empty table, and the query count."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.markers import requires_postgresql
from tickets.selectors import ticket_stats
from tickets.services import ticket_create, ticket_update

from .factories import days_ago, make_ticket

pytestmark = pytest.mark.django_db


def test_stats_on_an_empty_table_are_zero_with_every_key(api):
    response = api.get("/api/tickets/stats/")
    assert response.status_code == 200
    body = response.json()
    daily = body.pop("daily")
    assert body == {
        "total_tickets": 0,
        "open_tickets": 0,
        "avg_tickets_per_day": 0,
        "priority_breakdown": {"low": 0, "medium": 0, "high": 0, "critical": 0},
        "category_breakdown": {"billing": 0, "technical": 0, "account": 0, "general": 0},
        "median_hours_to_resolve": None,
    }
    assert len(daily) == 30
    assert daily[-1]["date"] == datetime.now(UTC).date().isoformat()
    assert all(day["created"] == day["resolved"] == 0 for day in daily)


def test_stats_count_every_priority_and_category_even_when_zero(api):
    make_ticket(category="billing", priority="high", status="open")
    make_ticket(category="billing", priority="high", status="closed")
    make_ticket(category="technical", priority="critical", status="open")
    make_ticket(category="technical", priority="low", status="in_progress")

    body = api.get("/api/tickets/stats/").json()

    assert body["total_tickets"] == 4
    assert body["open_tickets"] == 2
    assert body["priority_breakdown"] == {"low": 1, "medium": 0, "high": 2, "critical": 1}
    assert body["category_breakdown"] == {"billing": 2, "technical": 2, "account": 0, "general": 0}


def test_average_divides_by_calendar_days_from_first_ticket_through_today_inclusive():
    now = datetime(2026, 2, 17, 10, 30, tzinfo=UTC)
    # First ticket 9 days before today: 10 calendar days, 25 tickets -> 2.5.
    make_ticket(created_at=datetime(2026, 2, 8, 23, 59, tzinfo=UTC))
    for _ in range(24):
        make_ticket(created_at=now)
    assert ticket_stats(now=datetime(2026, 2, 17, 12, tzinfo=UTC))["avg_tickets_per_day"] == 2.5


def test_average_rounds_to_one_decimal():
    for _ in range(10):
        make_ticket(created_at=datetime(2026, 2, 15, 12, tzinfo=UTC))
    # 10 tickets over 3 days = 3.333...
    assert ticket_stats(now=datetime(2026, 2, 17, 12, tzinfo=UTC))["avg_tickets_per_day"] == 3.3


def test_average_with_tickets_only_today_is_the_total():
    for _ in range(3):
        make_ticket()
    assert ticket_stats()["avg_tickets_per_day"] == 3.0


def test_average_uses_utc_calendar_days():
    # 23:30 UTC on the 16th is a different UTC day than 00:30 on the 17th.
    make_ticket(created_at=datetime(2026, 2, 16, 23, 30, tzinfo=UTC))
    make_ticket(created_at=datetime(2026, 2, 17, 0, 30, tzinfo=UTC))
    assert ticket_stats(now=datetime(2026, 2, 17, 12, tzinfo=UTC))["avg_tickets_per_day"] == 1.0


def test_stats_reflect_a_status_change(api):
    ticket = make_ticket(status="open")
    assert api.get("/api/tickets/stats/").json()["open_tickets"] == 1
    api.patch(f"/api/tickets/{ticket.id}/", {"status": "resolved"}, format="json")
    assert api.get("/api/tickets/stats/").json()["open_tickets"] == 0


def test_stats_query_count_does_not_grow_with_the_tickets():
    make_ticket()
    with CaptureQueriesContext(connection) as queries:
        ticket_stats()
    few = len(queries)
    for i in range(30):
        make_ticket(created_at=days_ago(i))
    with CaptureQueriesContext(connection) as queries:
        ticket_stats()
    assert len(queries) == few
    if connection.vendor == "postgresql":
        assert few == 1


# The new figures computed from the tickets and their history alone: the first
# entry that moves a ticket's status into resolved or closed is its resolution.
HISTORY_SQL = """
WITH first_resolution AS (
    SELECT ticket_id, min(at) AS at FROM history_ticketchange
    WHERE changes -> 'status' ->> 1 IN ('resolved', 'closed')
      AND COALESCE(changes -> 'status' ->> 0, '') NOT IN ('resolved', 'closed')
    GROUP BY ticket_id
)
SELECT
    (SELECT round((percentile_cont(0.5) WITHIN GROUP (
            ORDER BY date_part('epoch', r.at) - date_part('epoch', t.created_at)) / 3600)::numeric, 2)
        FROM first_resolution AS r JOIN tickets_ticket AS t ON t.id = r.ticket_id
        WHERE r.at >= %(now)s - interval '30 days'),
    (SELECT json_agg(json_build_array(
            day::date::text,
            (SELECT count(*) FROM tickets_ticket WHERE (created_at AT TIME ZONE 'UTC')::date = day::date),
            (SELECT count(*) FROM first_resolution WHERE (at AT TIME ZONE 'UTC')::date = day::date))
        ORDER BY day)
        FROM generate_series((%(now)s AT TIME ZONE 'UTC')::date - 29, (%(now)s AT TIME ZONE 'UTC')::date,
                             interval '1 day') AS day)
"""


def stats_from_history(now):
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL, {"now": now})
        median, daily = cursor.fetchone()
    if isinstance(daily, str):
        daily = json.loads(daily)
    return (
        float(median) if median is not None else None,
        [{"date": day, "created": created, "resolved": resolved} for day, created, resolved in daily],
    )


def resolve_at(ticket, status, when):
    """Move a ticket as if at `when` (the services stamp the time they run)."""
    with time_machine.travel(when, tick=False):
        ticket_update(ticket=ticket, data={"status": status})


@requires_postgresql
def test_median_and_daily_equal_the_sql_over_tickets_and_history():
    now = datetime.now(UTC)
    tickets = []
    for n in range(40):
        with time_machine.travel(days_ago(n * 0.9, now=now), tick=False):
            tickets.append(ticket_create(title=f"T{n}", description="d", category="general", priority="low"))
    for n, ticket in enumerate(tickets):
        if n % 3 == 0:
            continue
        done = min(ticket.created_at + timedelta(hours=5 + 7 * n), now - timedelta(minutes=1))
        resolve_at(ticket, "resolved" if n % 2 else "closed", done)
        if n % 5 == 0:  # reopened and resolved again: the first resolution counts
            resolve_at(ticket, "open", done + timedelta(seconds=1))
            resolve_at(ticket, "resolved", done + timedelta(seconds=2))
    with connection.cursor() as cursor:  # a write that bypasses Django
        cursor.execute("UPDATE tickets_ticket SET status = 'closed' WHERE id = %s", [tickets[3].pk])
    ticket_create(title="Born resolved", description="d", category="general", priority="low", status="closed")

    stats = ticket_stats(now=now)

    median, daily = stats_from_history(now)
    assert stats["median_hours_to_resolve"] == median is not None
    assert stats["daily"] == daily
    assert sum(day["resolved"] for day in daily) > 10


def test_median_hours_counts_from_creation_to_the_first_resolution_in_the_last_30_days():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    durations = {"quick": 2, "medium": 10, "slow": 30}
    for name, hours in durations.items():
        with time_machine.travel(now - timedelta(days=3), tick=False):
            ticket = ticket_create(title=name, description="d", category="general", priority="low")
        resolve_at(ticket, "resolved", ticket.created_at + timedelta(hours=hours))
    with time_machine.travel(now - timedelta(days=80), tick=False):
        old = ticket_create(title="old", description="d", category="general", priority="low")
    resolve_at(old, "closed", now - timedelta(days=40))  # resolved before the window

    stats = ticket_stats(now=now)

    assert stats["median_hours_to_resolve"] == 10.0
    by_day = {day["date"]: day for day in stats["daily"]}
    assert by_day["2026-02-26"]["created"] == 3
    assert by_day["2026-02-26"]["resolved"] == 2  # 2 and 10 hours after 12:00
    assert by_day["2026-02-27"]["resolved"] == 1
    assert sum(day["resolved"] for day in stats["daily"]) == 3
    assert len(stats["daily"]) == 30 and stats["daily"][-1]["date"] == "2026-03-01"


def median_cache():
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, since FROM ticket_median_cache")
        return cursor.fetchone()


def direct_median(now):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', resolved_at)"
            " - date_part('epoch', created_at)) / 3600)::numeric, 2) FROM tickets_ticket"
            " WHERE resolved_at >= %s",
            [now - timedelta(days=30)],
        )
        value = cursor.fetchone()[0]
    return float(value) if value is not None else None


@requires_postgresql
def test_the_kept_median_follows_every_change_of_a_resolution_and_the_moving_window():
    """The median is kept between requests; each way its inputs change makes
    the next answer equal the full computation again."""
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    tickets = []
    for hours in (2, 10, 30):
        with time_machine.travel(now - timedelta(days=3), tick=False):
            ticket = ticket_create(title=f"{hours}h", description="d", category="general", priority="low")
        resolve_at(ticket, "resolved", ticket.created_at + timedelta(hours=hours))
        tickets.append(ticket)
    with time_machine.travel(now - timedelta(days=31), tick=False):
        edge = ticket_create(title="edge", description="d", category="general", priority="low")
    resolve_at(edge, "closed", now - timedelta(days=29, hours=23))  # 25 h; leaves the window an hour later

    def median(at):
        answer = ticket_stats(now=at)["median_hours_to_resolve"]
        assert answer == direct_median(at)
        return answer

    assert median(now) == 17.5  # 2, 10, 25, 30
    kept = median_cache()
    # Writes that touch no resolution leave the kept median in place.
    ticket_update(ticket=tickets[0], data={"priority": "high"})
    assert median(now) == 17.5
    assert median_cache() == kept

    # A creation time changed with raw SQL (the resolution time cannot be).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET created_at = created_at + interval '26 hours' WHERE id = %s",
            [tickets[2].pk],
        )
    assert median(now) == 7.0  # 2, 4, 10, 25
    # A ticket created with raw SQL, already resolved 100 hours after its creation.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at, updated_at)"
            " VALUES ('x', 'd', 'general', 'low', 'resolved', %s, %s)",
            [now - timedelta(hours=100), now],
        )
    assert median(now) == 10.0  # 2, 4, 10, 25, 100
    # A resolved ticket deleted.
    tickets[1].delete()
    assert median(now) == 14.5  # 2, 4, 25, 100
    # Another creation time corrected.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET created_at = created_at - interval '3 hours' WHERE id = %s",
            [tickets[0].pk],
        )
    assert median(now) == 15.0  # 4, 5, 25, 100
    assert median_cache() != kept
    # The window moves on: the edge ticket's resolution is older than 30 days two hours later.
    assert median(now + timedelta(hours=2)) == 5.0  # 4, 5, 100

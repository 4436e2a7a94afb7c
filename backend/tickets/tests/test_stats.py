"""Statistics: values on known data, an empty table, and the query count."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.selectors import ticket_stats

from .factories import days_ago, make_ticket

pytestmark = pytest.mark.django_db


def test_stats_on_an_empty_table_are_zero_with_every_key(api):
    response = api.get("/api/tickets/stats/")
    assert response.status_code == 200
    assert response.json() == {
        "total_tickets": 0,
        "open_tickets": 0,
        "avg_tickets_per_day": 0,
        "priority_breakdown": {"low": 0, "medium": 0, "high": 0, "critical": 0},
        "category_breakdown": {"billing": 0, "technical": 0, "account": 0, "general": 0},
    }


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
    assert ticket_stats(today=date(2026, 2, 17))["avg_tickets_per_day"] == 2.5


def test_average_rounds_to_one_decimal():
    for _ in range(10):
        make_ticket(created_at=datetime(2026, 2, 15, 12, tzinfo=UTC))
    # 10 tickets over 3 days = 3.333...
    assert ticket_stats(today=date(2026, 2, 17))["avg_tickets_per_day"] == 3.3


def test_average_with_tickets_only_today_is_the_total():
    for _ in range(3):
        make_ticket()
    assert ticket_stats()["avg_tickets_per_day"] == 3.0


def test_average_uses_utc_calendar_days():
    # 23:30 UTC on the 16th is a different UTC day than 00:30 on the 17th.
    make_ticket(created_at=datetime(2026, 2, 16, 23, 30, tzinfo=UTC))
    make_ticket(created_at=datetime(2026, 2, 17, 0, 30, tzinfo=UTC))
    assert ticket_stats(today=date(2026, 2, 17))["avg_tickets_per_day"] == 1.0


def test_stats_reflect_a_status_change(api):
    ticket = make_ticket(status="open")
    assert api.get("/api/tickets/stats/").json()["open_tickets"] == 1
    api.patch(f"/api/tickets/{ticket.id}/", {"status": "resolved"}, format="json")
    assert api.get("/api/tickets/stats/").json()["open_tickets"] == 0


def test_stats_is_one_query_whatever_the_number_of_tickets():
    for i in range(30):
        make_ticket(created_at=days_ago(i))
    with CaptureQueriesContext(connection) as queries:
        ticket_stats()
    assert len(queries) == 1

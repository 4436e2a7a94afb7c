"""Test data builders."""

from datetime import UTC, datetime, timedelta
from itertools import count

from tickets.models import Ticket

_sequence = count(1)


def make_ticket(**fields) -> Ticket:
    n = next(_sequence)
    values = {
        "title": f"Ticket {n}",
        "description": f"Description of ticket {n}",
        "category": "general",
        "priority": "medium",
        "status": "open",
    }
    values.update(fields)
    return Ticket.objects.create(**values)


def days_ago(days: float, *, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)

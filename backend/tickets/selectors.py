"""Reads: the list's queryset and the statistics."""
from datetime import date, datetime, timezone

from django.db.models import Count, Min, Q, QuerySet

from .models import Category, Priority, Status, Ticket


def ticket_list() -> QuerySet[Ticket]:
    return Ticket.objects.newest_first()


def ticket_stats(*, today: date | None = None) -> dict:
    """Counts for the dashboard in one aggregate query, every choice present.

    `avg_tickets_per_day` divides the total by the calendar days (UTC) from the
    first ticket's day through today, both included.
    """
    aggregates = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status=Status.OPEN)),
        "first_created_at": Min("created_at"),
    }
    for priority in Priority.values:
        aggregates[f"priority_{priority}"] = Count("id", filter=Q(priority=priority))
    for category in Category.values:
        aggregates[f"category_{category}"] = Count("id", filter=Q(category=category))
    row = Ticket.objects.order_by().aggregate(**aggregates)

    total = row["total"]
    return {
        "total_tickets": total,
        "open_tickets": row["open"],
        "avg_tickets_per_day": _average_per_day(total, row["first_created_at"], today),
        "priority_breakdown": {p: row[f"priority_{p}"] for p in Priority.values},
        "category_breakdown": {c: row[f"category_{c}"] for c in Category.values},
    }


def _average_per_day(total: int, first_created_at: datetime | None, today: date | None) -> float:
    if not total or first_created_at is None:
        return 0.0
    today = today or datetime.now(timezone.utc).date()
    first_day = first_created_at.astimezone(timezone.utc).date()
    days = max((today - first_day).days + 1, 1)
    return round(total / days, 1)

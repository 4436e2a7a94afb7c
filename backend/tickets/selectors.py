"""Reads: the list's queryset and the statistics."""

from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet

from .models import Category, Priority, Status, Ticket


def ticket_meta() -> dict:
    """The choices a client offers, values and labels, straight from the
    TextChoices, with the title's length limit: one source of truth for
    every form and filter."""
    return {
        "category": _choice_list(Category),
        "priority": _choice_list(Priority),
        "status": _choice_list(Status),
        "title_max_length": Ticket._meta.get_field("title").max_length,
    }


def _choice_list(choices) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in choices.choices]


def ticket_list() -> QuerySet[Ticket]:
    return Ticket.objects.newest_first()


def ticket_stats(*, today: date | None = None) -> dict:
    """Counts for the dashboard in one query, every choice present.

    On PostgreSQL the counts come from `ticket_tally`, which triggers keep exact
    on every write (migration 0004), so the cost does not grow with the number
    of tickets; elsewhere one aggregate query scans the tickets.

    `avg_tickets_per_day` divides the total by the calendar days (UTC) from the
    first ticket's day through today, both included.
    """
    row = _tallied_counts() if connection.vendor == "postgresql" else _counted_counts()
    total = row["total"]
    return {
        "total_tickets": total,
        "open_tickets": row["open"],
        "avg_tickets_per_day": _average_per_day(total, row["first_created_at"], today),
        "priority_breakdown": {p: row[f"priority_{p}"] for p in Priority.values},
        "category_breakdown": {c: row[f"category_{c}"] for c in Category.values},
    }


def _tallied_counts() -> dict:
    """The counts from the trigger-maintained tally; the first ticket's time
    from the newest-first index, read from its far end."""
    names = ["total", "open"]
    sums = ["SUM(tickets)", "SUM(tickets) FILTER (WHERE status = %s)"]
    params = [Status.OPEN.value]
    for field, values in (("priority", Priority.values), ("category", Category.values)):
        for value in values:
            names.append(f"{field}_{value}")
            sums.append(f"SUM(tickets) FILTER (WHERE {field} = %s)")
            params.append(value)
    columns = ", ".join(f"COALESCE({expression}, 0)" for expression in sums)
    sql = f"SELECT {columns}, (SELECT MIN(created_at) FROM {Ticket._meta.db_table}) FROM ticket_tally"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    row = {name: int(value) for name, value in zip(names, values, strict=False)}
    row["first_created_at"] = values[-1]
    return row


def _counted_counts() -> dict:
    aggregates = {
        "total": Count("id"),
        "open": Count("id", filter=Q(status=Status.OPEN)),
        "first_created_at": Min("created_at"),
    }
    for priority in Priority.values:
        aggregates[f"priority_{priority}"] = Count("id", filter=Q(priority=priority))
    for category in Category.values:
        aggregates[f"category_{category}"] = Count("id", filter=Q(category=category))
    return Ticket.objects.order_by().aggregate(**aggregates)


def _average_per_day(total: int, first_created_at: datetime | None, today: date | None) -> float:
    if not total or first_created_at is None:
        return 0.0
    today = today or datetime.now(UTC).date()
    first_day = first_created_at.astimezone(UTC).date()
    days = max((today - first_day).days + 1, 1)
    return round(total / days, 1)

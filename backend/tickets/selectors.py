"""Reads: the list's queryset and the statistics."""

import json
import statistics
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncDate

from .models import Category, Priority, Status, Ticket
from .ordering import Ordering, after, ordered
from .serializers import ticket_rows

DAYS = 30


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


def ticket_keyset_rows(
    *, filters: dict[str, str], ordering: Ordering, position: list | None, reverse: bool, limit: int
) -> list[dict]:
    """Up to `limit` tickets as `ticket_rows` rows, matching the equality
    `filters` (as `choice_filters` gives them), in `ordering` from its start,
    or after `position` (before it, nearest first, when `reverse`).

    On PostgreSQL the statement is the ORM's own, compiled once per process
    for each shape of page (which filters, the ordering, the kind of position,
    the direction and the limit) and run with this page's values: building and
    compiling the query cost more than running it."""
    if connection.vendor != "postgresql" or (position is not None and ordering.fixed_rank is not None):
        return list(_keyset_queryset(filters, ordering, position, reverse)[:limit])
    start = None if position is None else ("after_null" if position[0] is None else "after")
    sql, template, names = _keyset_statement(tuple(filters), ordering, start, reverse, limit)
    values = [*filters.values(), *(position or ())]
    params = [values[item] if is_value else item for is_value, item in template]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]


def _keyset_queryset(filters: dict, ordering: Ordering, position: list | None, reverse: bool) -> QuerySet:
    """The page's rows as the list's FilterSet and paginator build them."""
    queryset = ticket_list()
    if filters:
        queryset = queryset.filter(Q(*((f"{name}__exact", value) for name, value in filters.items())))
    if position is None:
        return ticket_rows(ordered(queryset, ordering))
    return ticket_rows(after(queryset, ordering, position, reverse=reverse))


# Stand-ins for a page's values while its statement is compiled: each is
# found again among the compiled parameters, which tells where the page's
# own values go. No filter value, time or id a page can hold equals one.
_SENTINEL_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
_SENTINEL_NUMBER = -(10**15)


def _sentinel(kind: str, index: int):
    if kind in ("time", "nullable_time"):
        return _SENTINEL_TIME + timedelta(microseconds=index)
    return _SENTINEL_NUMBER - index


@lru_cache(maxsize=512)
def _keyset_statement(filter_names: tuple[str, ...], ordering: Ordering, start, reverse: bool, limit: int):
    """(SQL, parameter template, column names) of one shape of keyset page.
    The template holds (True, index into the page's values) for each value
    and (False, constant) for the ORM's own constants (the priority ranks)."""
    values = [f"\x00{name}" for name in filter_names]
    position = None
    if start is not None:
        position = [_sentinel(kind, index) for index, (_, kind) in enumerate(ordering.keys)]
        if start == "after_null":
            position[0] = None
        values += position
    query = _keyset_queryset(dict(zip(filter_names, values, strict=False)), ordering, position, reverse)
    query = query[:limit].query
    sql, params = query.sql_with_params()
    if query.extra_select or query.annotation_select:
        raise RuntimeError(f"unexpected columns in a keyset page: {sql}")
    template, used = [], set()
    for param in params:
        index = next(
            (i for i, value in enumerate(values) if type(value) is type(param) and value == param), None
        )
        if index is None:
            if isinstance(param, str) and "\x00" in param:
                raise RuntimeError(f"a filter value was changed on its way into {sql}")
            template.append((False, param))
        else:
            template.append((True, index))
            used.add(index)
    if used != {index for index, value in enumerate(values) if value is not None}:
        raise RuntimeError(f"a page's value is missing from {sql} {params}")
    return sql, tuple(template), tuple(query.values_select)


def ticket_stats(*, now: datetime | None = None) -> dict:
    """Counts for the dashboard in one query, every choice present.

    On PostgreSQL the counts come from `ticket_tally`, which triggers keep exact
    on every write (migration 0004), so the cost does not grow with the number
    of tickets; elsewhere one aggregate query scans the tickets.

    `avg_tickets_per_day` divides the total by the calendar days (UTC) from the
    first ticket's day through today, both included.

    `median_hours_to_resolve`: over the tickets whose first move to resolved or
    closed (`resolved_at`, kept by the database) falls in the last 30 × 24
    hours, the median of the hours from creation to that move, to 2 decimals.
    `daily`: for each of the last 30 UTC days, the tickets created and the
    tickets first resolved that day. Both read only recent rows through the
    `created_at` and `resolved_at` indexes.
    """
    now = now or datetime.now(UTC)
    window = _Window(now)
    if connection.vendor == "postgresql":
        row = _tallied_counts(window)
    else:
        row = _counted_counts()
        row.update(_recent_counts(window))
    total = row["total"]
    return {
        "total_tickets": total,
        "open_tickets": row["open"],
        "avg_tickets_per_day": _average_per_day(total, row["first_created_at"], window.today),
        "priority_breakdown": {p: row[f"priority_{p}"] for p in Priority.values},
        "category_breakdown": {c: row[f"category_{c}"] for c in Category.values},
        "median_hours_to_resolve": row["median_hours"],
        "daily": [
            {
                "date": day.isoformat(),
                "created": row["created_by_day"].get(day, 0),
                "resolved": row["resolved_by_day"].get(day, 0),
            }
            for day in window.days
        ],
    }


class _Window:
    """The last DAYS UTC days (today last) and the last DAYS × 24 hours."""

    def __init__(self, now: datetime):
        self.now = now.astimezone(UTC)
        self.today = self.now.date()
        self.days = [self.today - timedelta(days=back) for back in range(DAYS - 1, -1, -1)]
        self.first_day_start = datetime.combine(self.days[0], datetime.min.time(), tzinfo=UTC)
        self.resolved_since = self.now - timedelta(days=DAYS)


# Median and daily counts on PostgreSQL, as columns of the tally query. The
# median sorts the recent resolutions' durations in seconds; the database keeps
# the last one and computes it again only when a resolution changed or left the
# window (migration 0009). The days come from `ticket_daily`, which triggers
# keep exact (migration 0007).
RECENT_SQL = """
    ticket_resolve_median(%(resolved_since)s),
    (SELECT json_agg(json_build_array(day::text, created, resolved))
        FROM ticket_daily WHERE day >= %(first_day)s AND day <= %(today)s)
"""


def _tallied_counts(window: _Window) -> dict:
    """The counts from the trigger-maintained tally; the first ticket's time
    from the newest-first index, read from its far end; the recent figures."""
    names = ["total", "open"]
    sums = ["SUM(tickets)", "SUM(tickets) FILTER (WHERE status = %(status_open)s)"]
    params = {"status_open": Status.OPEN.value}
    for field, values in (("priority", Priority.values), ("category", Category.values)):
        for value in values:
            names.append(f"{field}_{value}")
            sums.append(f"SUM(tickets) FILTER (WHERE {field} = %({field}_{value})s)")
            params[f"{field}_{value}"] = value
    columns = ", ".join(f"COALESCE({expression}, 0)" for expression in sums)
    table = Ticket._meta.db_table
    sql = f"SELECT {columns}, (SELECT MIN(created_at) FROM {table}), {RECENT_SQL} FROM ticket_tally"
    params.update(resolved_since=window.resolved_since, first_day=window.days[0], today=window.today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
    row = {name: int(value) for name, value in zip(names, values[: len(names)], strict=True)}
    first_created_at, median, days = values[len(names) :]
    if isinstance(days, str):  # json, not jsonb: some drivers leave it as text
        days = json.loads(days)
    row["first_created_at"] = first_created_at
    row["median_hours"] = float(median) if median is not None else None
    row["created_by_day"] = {date.fromisoformat(day): int(created) for day, created, _ in days or []}
    row["resolved_by_day"] = {date.fromisoformat(day): int(resolved) for day, _, resolved in days or []}
    return row


def _recent_counts(window: _Window) -> dict:
    """The recent figures without PostgreSQL: the same definitions, in three
    small queries over the recent rows."""
    tickets = Ticket.objects.order_by()
    created = (
        tickets.filter(created_at__gte=window.first_day_start)
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day")
        .annotate(n=Count("id"))
    )
    resolved = (
        tickets.filter(resolved_at__gte=window.first_day_start)
        .annotate(day=TruncDate("resolved_at", tzinfo=UTC))
        .values("day")
        .annotate(n=Count("id"))
    )
    durations = tickets.filter(resolved_at__gte=window.resolved_since).values_list(
        F("resolved_at"), F("created_at")
    )
    hours = [(done - started).total_seconds() / 3600 for done, started in durations]
    return {
        "median_hours": round(statistics.median(hours), 2) if hours else None,
        "created_by_day": {row["day"]: row["n"] for row in created},
        "resolved_by_day": {row["day"]: row["n"] for row in resolved},
    }


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

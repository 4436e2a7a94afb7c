"""Writes. Each is one transaction; views and the admin call these rather than
saving directly. Each records who wrote and through what (`actor`, `via`) for
the ticket's history."""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from history.models import Via
from history.services import ticket_change_record, ticket_field_values, ticket_write_context

from config.db_timeouts import bulk_statement_timeout

from .models import RESOLVED_STATUSES, Ticket

ONE_MICROSECOND = timedelta(microseconds=1)


class TicketChanged(Exception):
    """The ticket is no longer at the version the writer read (If-Match)."""

    def __init__(self, ticket: Ticket):
        super().__init__(f"ticket {ticket.pk} changed meanwhile")
        self.ticket = ticket


def ticket_version(ticket: Ticket) -> str:
    """An opaque token that changes with every write of the ticket: its
    `updated_at` in microseconds, which every write moves strictly forward."""
    stamp = ticket.updated_at or ticket.created_at
    micros = (stamp - datetime(1970, 1, 1, tzinfo=stamp.tzinfo)) // ONE_MICROSECOND
    return f"{ticket.pk}-{micros}"


def ticket_create(
    *,
    title: str,
    description: str,
    category: str,
    priority: str,
    status: str | None = None,
    assignee=None,
    actor=None,
    via: str = Via.API,
) -> Ticket:
    ticket = Ticket(
        title=title, description=description, category=category, priority=priority, assignee=assignee
    )
    if status:
        ticket.status = status
    # Choices are checked field by field here and by the table's CHECK
    # constraints on insert; re-checking the constraints in Python would cost
    # one query each.
    # The assignee was checked by the caller (an active agent).
    ticket.full_clean(exclude=["created_at", "assignee"], validate_constraints=False)
    # The same values the database trigger gives on PostgreSQL.
    ticket.updated_at = ticket.created_at
    if ticket.status in RESOLVED_STATUSES:
        ticket.resolved_at = ticket.updated_at
    with ticket_write_context(actor=actor, via=via):
        ticket.save(force_insert=True)
        ticket_change_record(ticket=ticket, before=None, actor=actor, via=via)
    return ticket


def ticket_update(
    *,
    ticket: Ticket,
    data: dict,
    actor=None,
    via: str = Via.API,
    expected_versions: frozenset[str] | None = None,
) -> Ticket:
    """Apply a partial update. The row is locked so that concurrent updates of
    the same ticket apply one after the other, never interleaved. With
    `expected_versions` (from If-Match), raise TicketChanged and write nothing
    unless the ticket is still at one of those versions. The changed fields are
    checked as `ticket_create` checks them (a ValidationError)."""
    with ticket_write_context(actor=actor, via=via):
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if expected_versions is not None and ticket_version(locked) not in expected_versions:
            raise TicketChanged(locked)
        changed = [field for field, value in data.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        before = ticket_field_values(locked)
        was_resolved = locked.status in RESOLVED_STATUSES
        for field in changed:
            setattr(locked, field, data[field])
        locked.clean_fields(exclude=[f.name for f in Ticket._meta.concrete_fields if f.name not in changed])
        # What the PostgreSQL trigger does, done here too so that the answer
        # carries the new values without reading the row again (the trigger
        # keeps an explicit updated_at that moves forward).
        previous = locked.updated_at
        locked.updated_at = max(timezone.now(), previous + ONE_MICROSECOND) if previous else timezone.now()
        stamps = ["updated_at"]
        if locked.resolved_at is None and locked.status in RESOLVED_STATUSES and not was_resolved:
            locked.resolved_at = locked.updated_at
            stamps.append("resolved_at")
        locked.save(update_fields=changed + stamps)
        ticket_change_record(ticket=locked, before=before, actor=actor, via=via)
    return locked


def ticket_tally_reconcile(*, repair: bool) -> list[dict]:
    """Compare the tally (PostgreSQL only) with a fresh count of the tickets,
    under a lock that keeps writers out, and optionally make it exact.

    Returns one dict per (category, priority, status) whose counts differ.
    Must run inside a transaction: the lock lasts until it ends.
    """
    table = Ticket._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"""
            SELECT category, priority, status,
                   COALESCE(t.tickets, 0) AS tallied, COALESCE(c.tickets, 0) AS counted
            FROM ticket_tally AS t
            FULL JOIN (SELECT category, priority, status, count(*) AS tickets FROM {table} GROUP BY 1, 2, 3) AS c
                USING (category, priority, status)
            WHERE COALESCE(t.tickets, 0) <> COALESCE(c.tickets, 0)
            ORDER BY 1, 2, 3
            """
        )
        columns = [column.name for column in cursor.description]
        drift = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        if drift and repair:
            cursor.execute("DELETE FROM ticket_tally")
            cursor.execute(
                f"INSERT INTO ticket_tally (category, priority, status, tickets) "
                f"SELECT category, priority, status, count(*) FROM {table} GROUP BY 1, 2, 3"
            )
    return drift


# A bulk change touches at most this many tickets: one UPDATE with its history
# stays within a few seconds and a modest lock footprint.
BULK_MAX_TICKETS = 10_000


class BulkTooLarge(Exception):
    def __init__(self, matched: int):
        super().__init__(f"{matched} tickets match")
        self.matched = matched


class BulkUnknownIds(Exception):
    def __init__(self, missing: list[int]):
        super().__init__(f"unknown ids {missing}")
        self.missing = missing


def ticket_bulk_update(*, ids: list[int] | None = None, queryset=None, values: dict, actor=None) -> int:
    """Set `values` on the tickets `ids` (all must exist) or on those of
    `queryset` (at most BULK_MAX_TICKETS), in one transaction: all or nothing.

    On PostgreSQL one UPDATE statement; the triggers stamp `updated_at`, write
    one history entry per changed ticket (via "bulk", by `actor`) and keep the
    counts. Elsewhere each ticket goes through `ticket_update`. Returns the
    number of tickets the request covered (unchanged ones included)."""
    with ticket_write_context(actor=actor, via=Via.BULK):
        bulk_statement_timeout()
        if ids is not None:
            found = set(Ticket.objects.filter(id__in=ids).values_list("id", flat=True))
            missing = sorted(set(ids) - found)
            if missing:
                raise BulkUnknownIds(missing)
            targets = sorted(found)
        else:
            targets = list(queryset.order_by().values_list("id", flat=True)[: BULK_MAX_TICKETS + 1])
            if len(targets) > BULK_MAX_TICKETS:
                raise BulkTooLarge(queryset.order_by().count())
        if not targets:
            return 0
        if connection.vendor == "postgresql":
            # Rows already holding the values are left alone: no history entry, no new version.
            unchanged = Q(**values)
            Ticket.objects.filter(id__in=targets).exclude(unchanged).update(**values)
        else:
            for ticket in Ticket.objects.filter(id__in=targets).order_by("id"):
                ticket_update(ticket=ticket, data=values, actor=actor, via=Via.BULK)
    return len(targets)

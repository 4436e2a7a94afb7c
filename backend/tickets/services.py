"""Writes. Each is one transaction; views call these rather than saving directly."""

from django.db import connection, transaction

from .models import Ticket


@transaction.atomic
def ticket_create(
    *,
    title: str,
    description: str,
    category: str,
    priority: str,
    status: str | None = None,
    assignee=None,
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
    ticket.save(force_insert=True)
    return ticket


@transaction.atomic
def ticket_update(*, ticket: Ticket, data: dict) -> Ticket:
    """Apply a partial update. The row is locked so that concurrent updates of
    the same ticket apply one after the other, never interleaved. The changed
    fields are checked as `ticket_create` checks them (a ValidationError)."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    changed = [field for field, value in data.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, data[field])
    if changed:
        locked.clean_fields(exclude=[f.name for f in Ticket._meta.concrete_fields if f.name not in changed])
        locked.save(update_fields=changed)
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

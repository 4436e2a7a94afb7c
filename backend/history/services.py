"""Writes of the history: who is writing, and (without the PostgreSQL triggers)
the entries themselves.

Every ticket write runs inside `ticket_write_context(actor=..., via=...)`. On
PostgreSQL that sets two transaction-local settings that the history trigger
reads, so the entry is written by the database in the same transaction as the
change; on other databases the ticket services call `ticket_change_record`.
A future write path (a bulk update, say) only needs the same context:

    with ticket_write_context(actor=request_actor(request), via=Via.BULK):
        Ticket.objects.filter(...).update(status=...)
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from .models import TicketChange, Via

# Columns that are bookkeeping rather than the ticket's content; the same list
# as the trigger's (history migration 0001).
IGNORED_FIELDS = frozenset({"id", "created_at", "updated_at", "resolved_at"})


def records_in_database() -> bool:
    """Whether the database writes the history itself (PostgreSQL triggers)."""
    return connection.vendor == "postgresql"


def request_actor(request):
    """The signed-in user behind a request, or None (open mode, anonymous)."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@contextmanager
def ticket_write_context(*, actor=None, via: str = Via.SYSTEM) -> Iterator[None]:
    """A transaction (or a savepoint) whose ticket writes are recorded as made
    by `actor` through `via`. Nested in an outer transaction, the names are
    cleared again at the end, so later writes of that transaction are not
    attributed to them."""
    via = Via(via)  # refuses anything but the four known values
    nested = transaction.get_connection().in_atomic_block
    with transaction.atomic():
        _name_writer(str(actor.pk) if actor is not None else "", str(via))
        yield
        if nested:
            _name_writer("", "")


def _name_writer(actor_id: str, via: str) -> None:
    if records_in_database():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('tickets.actor_id', %s, true), set_config('tickets.via', %s, true)",
                [actor_id, via],
            )


def ticket_field_values(ticket: models.Model) -> dict:
    """The ticket's content as the history records it: every concrete field but
    the bookkeeping ones, foreign keys by id under the field's name, values as
    JSON would hold them."""
    values = {
        field.name: field.value_from_object(ticket)
        for field in ticket._meta.concrete_fields
        if field.attname not in IGNORED_FIELDS
    }
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def ticket_change_record(*, ticket, before: dict | None, actor=None, via: str = Via.SYSTEM) -> None:
    """Write the entry for one write of `ticket` where the database does not
    (no trigger): `before` is `ticket_field_values` before it, None on creation."""
    if records_in_database():
        return
    after = ticket_field_values(ticket)
    if before is None:
        changes = {name: [None, value] for name, value in after.items() if value is not None}
    else:
        changes = {
            name: [before.get(name), value] for name, value in after.items() if before.get(name) != value
        }
        if not changes:
            return
    TicketChange.objects.create(ticket=ticket, at=ticket.updated_at, actor=actor, via=via, changes=changes)

"""Writes. Each is one transaction; views call these rather than saving directly."""

from django.db import transaction

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
    the same ticket apply one after the other, never interleaved."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    changed = [field for field, value in data.items() if getattr(locked, field) != value]
    for field in changed:
        setattr(locked, field, data[field])
    if changed:
        locked.save(update_fields=changed)
    return locked

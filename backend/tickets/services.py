"""Writes. Each is one transaction; views call these rather than saving directly."""

from django.db import transaction

from .models import Ticket


@transaction.atomic
def ticket_create(
    *, title: str, description: str, category: str, priority: str, status: str | None = None
) -> Ticket:
    ticket = Ticket(title=title, description=description, category=category, priority=priority)
    if status:
        ticket.status = status
    # Choices are checked field by field here and by the table's CHECK
    # constraints on insert; re-checking the constraints in Python would cost
    # one query each.
    ticket.full_clean(exclude=["created_at"], validate_constraints=False)
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

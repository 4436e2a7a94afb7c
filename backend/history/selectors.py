"""Reads of the history."""

from django.db.models import QuerySet

from .models import TicketChange


def ticket_history(*, ticket_id: int) -> QuerySet[TicketChange]:
    """A ticket's entries, oldest first (by id: the order they were written)."""
    return TicketChange.objects.filter(ticket_id=ticket_id).select_related("actor").order_by("id")

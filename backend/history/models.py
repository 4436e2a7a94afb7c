from django.conf import settings
from django.db import models


class Via(models.TextChoices):
    API = "api", "API"
    ADMIN = "admin", "Admin"
    BULK = "bulk", "Bulk update"
    SYSTEM = "system", "System"


class TicketChange(models.Model):
    """One write of one ticket: which fields moved from what to what.

    On PostgreSQL the rows are written by triggers on the tickets table (see
    migration 0001), in the same transaction as the change, whatever the write
    path; elsewhere by the ticket services. The ticket is referenced without a
    foreign-key constraint so that the record outlives a deleted ticket.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="changes",
    )
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    # {"field": [old, new]}; the creation entry has old = null for every field.
    changes = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["ticket", "id"], name="ticket_change_ticket_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(via__in=Via.values), name="ticket_change_via_valid")
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.via} {self.at:%Y-%m-%d %H:%M}"

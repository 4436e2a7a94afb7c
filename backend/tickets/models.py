from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.utils import timezone

# Enough for a pasted log; the database enforces it too (migration 0005).
DESCRIPTION_MAX_LENGTH = 50_000


class Category(models.TextChoices):
    BILLING = "billing", "Billing"
    TECHNICAL = "technical", "Technical"
    ACCOUNT = "account", "Account"
    GENERAL = "general", "General"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)


class TicketQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-created_at", "-id")


class Ticket(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH)
    category = models.CharField(max_length=20, choices=Category.choices)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # Set by the server; a default rather than auto_now_add so that imports and
    # demo data can carry their real creation time.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The agent working on it. No index of its own: ticket_assignee_created_idx
    # starts with this column, so it also serves the foreign key's lookups.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        db_index=False,
    )
    # Both are kept by the database on PostgreSQL (a trigger, migration 0005),
    # whatever writes the row, and by the services elsewhere. Null only for a
    # row written by raw SQL on a database without the trigger.
    updated_at = models.DateTimeField(null=True, editable=False)
    # The first time the ticket moved to resolved or closed; never cleared.
    resolved_at = models.DateTimeField(null=True, editable=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list's order, and each filter followed by that order, so a
            # filtered first page is an index walk rather than a sort.
            models.Index(fields=["-created_at", "-id"], name="ticket_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="ticket_status_created_idx"),
            models.Index(fields=["category", "-created_at", "-id"], name="ticket_category_created_idx"),
            models.Index(fields=["priority", "-created_at", "-id"], name="ticket_priority_created_idx"),
            models.Index(fields=["assignee", "-created_at", "-id"], name="ticket_assignee_created_idx"),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated_idx"),
            # Statistics read the recently resolved tickets' times from the index alone.
            models.Index(
                fields=["resolved_at"],
                include=["created_at"],
                condition=models.Q(resolved_at__isnull=False),
                name="ticket_resolved_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="ticket_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__in=Priority.values), name="ticket_priority_valid"
            ),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="ticket_status_valid"),
            models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="ticket_description_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

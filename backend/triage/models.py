"""Every classify answer, and what became of it."""

from django.db import models
from django.utils import timezone

from tickets.models import Category, Priority, Ticket


class Source(models.TextChoices):
    LLM = "llm", "LLM"
    SIMILAR = "similar", "Similar tickets"
    DEFAULT = "default", "Defaults"


class Suggestion(models.Model):
    """One classify answer. Linked to the ticket created from it, at most once.

    `created_*` are the ticket's labels when it was created (was the suggestion
    accepted unchanged?); `current_*` are its labels now, kept by a database
    trigger on every change of the ticket's category or priority, whatever the
    write path (migration 0002), so statistics never join the tickets table.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    category = models.CharField(max_length=20, choices=Category.choices)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    # The configured model for LLM answers; empty otherwise.
    model = models.CharField(max_length=100, blank=True, default="")
    # Why the LLM was not used or gave no usable answer (e.g. "no_key",
    # "llm_error"); empty when it answered.
    fallback_reason = models.CharField(max_length=40, blank=True, default="")
    cached = models.BooleanField(default=False)
    latency_ms = models.FloatField(default=0.0)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    # Past tickets shown to the LLM as examples, or that voted for a `similar` answer.
    examples = models.PositiveSmallIntegerField(default=0)

    # No foreign-key constraint in the database: the tickets table stays free of
    # referential triggers (bulk loads, TRUNCATE); a trigger clears the link when
    # a ticket is deleted or the table truncated (migration 0004).
    ticket = models.OneToOneField(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestion",
        db_constraint=False,
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    created_category = models.CharField(max_length=20, blank=True, default="")
    created_priority = models.CharField(max_length=20, blank=True, default="")
    current_category = models.CharField(max_length=20, blank=True, default="")
    current_priority = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], name="suggestion_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="suggestion_source_valid"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}/{self.priority} ({self.source})"

from django.conf import settings
from django.db import models
from django.utils import timezone

BODY_MAX_LENGTH = 10_000


class Comment(models.Model):
    """An internal note of the team on a ticket, kept as plain text.

    Deleting a ticket through Django deletes its comments; the database holds
    no foreign-key constraint on the tickets table, so that bulk deletes,
    TRUNCATE and restores of tickets do not wait on millions of comments.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["ticket", "id"], name="comment_ticket_idx")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} comment {self.pk}"

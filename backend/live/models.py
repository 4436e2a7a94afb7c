from django.db import models
from django.db.models.functions import Now


class Event(models.Model):
    """One change, written by database triggers in the transaction that made it
    (the outbox). `position` is the event's id on the stream: it is given at
    commit, in commit order, so a reader that has seen position N has seen
    every event committed before it. Rows of uncommitted or rolled-back
    transactions are never visible; rows of committed ones always are."""

    position = models.BigIntegerField(null=True, unique=True)
    kind = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(null=True)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_default=Now(), db_index=True)

    class Meta:
        db_table = "live_event"

    def __str__(self) -> str:
        return f"{self.position} {self.kind} {self.subject_id}"

"""Writes to the outbox. Events themselves are written by database triggers
(live/triggers.py); what is left here is forgetting old ones."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import Event


@transaction.atomic
def event_prune(*, older_than: timedelta | None = None) -> int:
    """Delete events older than the retention, oldest positions first, always
    keeping the newest: the kept events are every position from the oldest kept
    one on, so a reconnect older than that is told to reset."""
    if older_than is None:
        older_than = timedelta(seconds=settings.LIVE_RETENTION_SECONDS)
    cutoff = timezone.now() - older_than
    numbered = Event.objects.filter(position__isnull=False)
    newest = numbered.aggregate(newest=Max("position"))["newest"]
    through = numbered.filter(created_at__lt=cutoff).aggregate(through=Max("position"))["through"]
    if newest is None or through is None:
        return 0
    deleted, _ = Event.objects.filter(position__lte=min(through, newest - 1)).delete()
    return deleted

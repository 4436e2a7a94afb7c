"""Reads of the outbox: where the stream stands, and what a client missed."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min

from .events import StreamEvent, stream_events
from .models import Event


def event_head() -> int:
    """The position of the newest committed event (0 when there is none)."""
    return Event.objects.filter(position__isnull=False).aggregate(head=Max("position"))["head"] or 0


def events_after(*, position: int, limit: int = 500) -> tuple[list[StreamEvent], int]:
    """Up to `limit` committed events after `position`, oldest first, with their
    data; and the position read up to (events whose subject is gone are skipped)."""
    rows = list(Event.objects.filter(position__gt=position).order_by("position")[:limit])
    return stream_events(rows), (rows[-1].position if rows else position)


@dataclass(frozen=True)
class CatchUp:
    """What a client that last saw `after` is sent before new events: the events
    it missed up to `upto`, or a reset (reload) when they cannot be replayed."""

    upto: int
    events: list[StreamEvent]
    reset_reason: str | None = None


def event_catch_up(*, after: int | None, upto: int | None = None) -> CatchUp:
    """`after` is the client's Last-Event-ID (None: a new client, nothing to
    replay). `upto` is where the live stream of this connection starts (the
    newest committed event when not given). The answer's `upto` is the id
    after which live events are to be sent."""
    if upto is None:
        upto = event_head()
    if after is None or after == upto:
        return CatchUp(upto, [])
    if after > upto:
        # Either this server has not read the newest events yet (the client
        # saw them elsewhere) or the id is not one of ours.
        if after <= event_head():
            return CatchUp(after, [])
        return CatchUp(upto, [], "unknown_event_id")
    window = Event.objects.filter(position__isnull=False).aggregate(oldest=Min("position"))
    oldest = window["oldest"]
    if oldest is None or after < oldest - 1:
        return CatchUp(upto, [], "expired")
    limit = settings.LIVE_CATCH_UP_LIMIT
    rows = list(
        Event.objects.filter(position__gt=after, position__lte=upto).order_by("position")[: limit + 1]
    )
    if len(rows) > limit:
        return CatchUp(upto, [], "too_many_missed")
    return CatchUp(upto, stream_events(rows))

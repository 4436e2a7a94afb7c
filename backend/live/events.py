"""What each kind of event carries, built when it is delivered, and how an
event is written on the stream.

The outbox keeps only the kind, the subject's id and a small detail, so an
event's data always has the API's current shape: `ticket.created` and
`ticket.updated` carry the ticket exactly as `GET /api/tickets/{id}/` returns
it (through TicketSerializer), so a field added to the serializer appears in
the events too; `comment.created` carries the comment as the comments endpoint
returns it, plus its `ticket` id. A new kind of event is a trigger writing rows of that kind and
a builder registered here with `@payloads_for("kind")`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from comments.selectors import comments_by_ids
from comments.serializers import CommentSerializer
from rest_framework.renderers import JSONRenderer

from tickets.models import Ticket
from tickets.selectors import ticket_list
from tickets.serializers import TicketSerializer

from .models import Event

_render = JSONRenderer().render

# kind -> builder(events of that kind) -> {event id: data, or None to skip the event}
PAYLOAD_BUILDERS: dict[str, Callable[[list[Event]], dict[int, dict | None]]] = {}


def payloads_for(*kinds: str):
    def register(builder):
        for kind in kinds:
            PAYLOAD_BUILDERS[kind] = builder
        return builder

    return register


@dataclass(frozen=True)
class StreamEvent:
    position: int
    kind: str
    data: dict

    def encode(self) -> bytes:
        return encode(self.kind, self.data, position=self.position)


def encode(kind: str, data: dict, *, position: int | None = None) -> bytes:
    """One Server-Sent Event. JSON never holds a raw line break, so the data is one line."""
    head = f"id: {position}\n" if position is not None else ""
    return f"{head}event: {kind}\ndata: ".encode() + _render(data) + b"\n\n"


def stream_events(events: Iterable[Event]) -> list[StreamEvent]:
    """The events with their data, in the order given; events whose subject is
    gone (a ticket created, then deleted before delivery) are left out."""
    events = list(events)
    by_kind: dict[str, list[Event]] = {}
    for event in events:
        by_kind.setdefault(event.kind, []).append(event)
    data: dict[int, dict | None] = {}
    for kind, of_kind in by_kind.items():
        data.update(PAYLOAD_BUILDERS.get(kind, _detail_payloads)(of_kind))
    return [
        StreamEvent(event.position, event.kind, data[event.pk])
        for event in events
        if data[event.pk] is not None
    ]


def _detail_payloads(events: list[Event]) -> dict[int, dict]:
    """Kinds without a builder: the subject's id and the detail the trigger wrote."""
    return {
        event.pk: ({"id": event.subject_id} if event.subject_id is not None else {}) | event.detail
        for event in events
    }


@payloads_for("reset")
def _reset_payloads(events: list[Event]) -> dict[int, dict]:
    return {event.pk: {"reason": "changed", **event.detail} for event in events}


@payloads_for("ticket.deleted")
def _deleted_payloads(events: list[Event]) -> dict[int, dict]:
    return {event.pk: {"id": event.subject_id} for event in events}


@payloads_for("ticket.created", "ticket.updated")
def _ticket_payloads(events: list[Event]) -> dict[int, dict | None]:
    tickets = ticket_list().filter(pk__in={event.subject_id for event in events})
    current = {ticket.pk: TicketSerializer(ticket).data for ticket in tickets}
    names = _field_names_by_column()
    payloads: dict[int, dict | None] = {}
    for event in events:
        ticket = current.get(event.subject_id)
        if ticket is None:
            payloads[event.pk] = None
        elif event.kind == "ticket.updated":
            # Only the fields the API shows: a change of internal columns alone
            # (`resolved_at`) is not an event for clients.
            columns = {names.get(column, column) for column in event.detail.get("changed", [])}
            changed = [name for name in ticket if name in columns]
            payloads[event.pk] = {**ticket, "changed": changed} if changed else None
        else:
            payloads[event.pk] = dict(ticket)
    return payloads


@payloads_for("comment.created")
def _comment_payloads(events: list[Event]) -> dict[int, dict | None]:
    comments = {comment.pk: comment for comment in comments_by_ids({event.subject_id for event in events})}
    payloads: dict[int, dict | None] = {}
    for event in events:
        comment = comments.get(event.subject_id)
        payloads[event.pk] = (
            None if comment is None else {**CommentSerializer(comment).data, "ticket": comment.ticket_id}
        )
    return payloads


def _field_names_by_column() -> dict[str, str]:
    """Triggers name columns (`assignee_id`); events name the API's fields (`assignee`)."""
    return {field.column: field.name for field in Ticket._meta.concrete_fields}

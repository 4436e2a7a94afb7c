"""GET /api/events/: the event stream.

The stream server (`python -m live`, an ASGI process) runs EventStreamView
through the project's middleware and DRF's configured authentication and
permissions, then holds the connection open itself, outside any request
thread. The API's own workers answer the same path with EventPollView: the
events the client missed, then the end of the response, so an EventSource
pointed at them reconnects after `retry` (long polling, no thread held).
"""

import re

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .events import encode
from .selectors import event_catch_up

EVENT_STREAM = "text/event-stream"
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
QUERY_PARAMETERS = ("last_event_id",)
EVENT_ID = re.compile(r"\d{1,18}")

STREAM_DESCRIPTION = """Server-Sent Events. Each event has an increasing `id`, a name and JSON `data`:

- `ticket.created`, `ticket.updated`: the ticket as `GET /api/tickets/{id}/` returns it; updates add
  `changed`, the names of the fields that changed.
- `ticket.deleted`: `{"id": N}`.
- `comment.created`: the comment as `GET /api/tickets/{id}/comments/` lists it, plus `ticket` (its
  ticket's id).
- `reset`: `{"reason": ...}`: the missed events cannot be replayed (too old, too many, a bulk change);
  reload, then go on with the events that follow.
- `ready`: `{"last_event_id": N}`: the catch-up is done; events after N follow.

A comment (`: keep-alive`) is sent every 15 seconds. Reconnects send `Last-Event-ID` (browsers do
it by themselves); a new EventSource may pass `?last_event_id=` instead. The stream is served by
the event server; the API's own workers answer the same request with the catch-up and `ready`,
then close (the client reconnects after `retry`)."""


class EventStreamBaseView(APIView):
    """Authentication and permissions are DRF's configured defaults, exactly as
    for the rest of the API; errors are JSON."""

    renderer_classes = [JSONRenderer]
    throttle_classes = []

    # Read at request time, so the stream always follows the API's settings.
    def get_authenticators(self):
        return [authentication() for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES]

    def get_permissions(self):
        return [permission() for permission in api_settings.DEFAULT_PERMISSION_CLASSES]

    def perform_content_negotiation(self, request, force=False):
        # EventSource asks for text/event-stream; errors are still answered in JSON.
        return super().perform_content_negotiation(request, force=True)

    def last_event_id(self, request) -> int | None:
        params = request.query_params
        unknown = {name: ["Unknown parameter."] for name in params if name not in QUERY_PARAMETERS}
        if unknown:
            raise ValidationError(unknown)
        if len(params.getlist("last_event_id")) > 1:
            raise ValidationError({"last_event_id": ["Give this parameter once."]})
        # The header is what EventSource sends on its own reconnects, so it is newer.
        ids = {}
        for name, value in (
            ("Last-Event-ID", request.headers.get("Last-Event-ID")),
            ("last_event_id", params.get("last_event_id")),
        ):
            if value is not None:
                if not EVENT_ID.fullmatch(value.strip()):
                    raise ValidationError({name: ["Must be an event id (a whole number)."]})
                ids[name] = int(value.strip())
        if ids:
            return ids.get("Last-Event-ID", ids.get("last_event_id"))
        return None


@extend_schema(
    summary="Live events (Server-Sent Events)",
    description=STREAM_DESCRIPTION,
    parameters=[
        OpenApiParameter(
            "last_event_id",
            {"type": "string", "pattern": r"^\d{1,18}$"},
            description="Replay the events after this id (as the Last-Event-ID header does).",
        ),
        OpenApiParameter(
            "Last-Event-ID",
            {"type": "string", "pattern": r"^\d{1,18}$"},
            location=OpenApiParameter.HEADER,
            description="Sent by EventSource when it reconnects: replay the events after this id.",
        ),
    ],
    responses={
        (200, EVENT_STREAM): OpenApiResponse(
            {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "event": {"type": "string"},
                    "data": {"type": "string"},
                },
            },
            description="The event stream: each event's id, name and JSON data.",
        ),
        400: OpenApiResponse(
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            description="A bad or unknown parameter: its name mapped to messages.",
        ),
    },
)
class EventPollView(EventStreamBaseView):
    """The API workers' answer: the catch-up, `ready`, then the end."""

    def get(self, request):
        catch_up = event_catch_up(after=self.last_event_id(request))
        parts = [f"retry: {settings.LIVE_RETRY_MILLISECONDS}\n\n".encode()]
        parts += opening_events(catch_up)
        return event_stream_response(b"".join(parts))


class EventStreamView(EventStreamBaseView):
    """The stream server's view: checks the request, then hands the connection
    to the server (`event_stream_after` on the response) to hold open."""

    def get(self, request):
        after = self.last_event_id(request)
        response = event_stream_response(b"")
        response.event_stream_after = after
        return response


def event_stream_response(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type=EVENT_STREAM, headers=STREAM_HEADERS)


def opening_events(catch_up) -> list[bytes]:
    """The catch-up (or a reset), then `ready` with the id the live events follow."""
    parts = [event.encode() for event in catch_up.events]
    if catch_up.reset_reason:
        parts.append(encode("reset", {"reason": catch_up.reset_reason}, position=catch_up.upto))
    parts.append(encode("ready", {"last_event_id": catch_up.upto}, position=catch_up.upto))
    return parts

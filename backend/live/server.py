"""The stream server: a minimal ASGI application that serves GET /api/events/.

Each request goes through the project's middleware and EventStreamView (DRF's
configured authentication and permissions) in a small thread pool; once
accepted, the connection is held by the event loop alone: an open stream costs
a queue and two small tasks, never a thread or a database connection.
Anything else is answered as the API would (JSON 404, 405, 401/403...).
"""

import asyncio
import io
import logging

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.base import BaseHandler
from django.http import JsonResponse

from .hub import CLOSE, Hub
from .selectors import event_catch_up
from .views import opening_events

logger = logging.getLogger(__name__)

NO_STREAM = object()


class EventStreamApp:
    def __init__(self):
        self.hub: Hub | None = None
        self._starting: asyncio.Lock | None = None
        self.handler = BaseHandler()
        self.handler.load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._ensure_started()
            await self._http(scope, receive, send)

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._ensure_started()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.hub is not None:
                    await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _ensure_started(self):
        if self.hub is not None:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self.hub is None:
                hub = Hub()
                await hub.start()
                self.hub = hub

    async def _http(self, scope, receive, send):
        headers = dict(scope.get("headers") or [])
        if headers.get(b"transfer-encoding") or headers.get(b"content-length", b"0") not in (b"", b"0"):
            response = JsonResponse({"detail": "The event stream takes no request body."}, status=400)
            await _send_response(send, response)
            return
        request = ASGIRequest(scope, io.BytesIO())
        request.urlconf = "live.stream_urls"
        response = await self.hub.run_sync(self._get_response, request)
        after = getattr(response, "event_stream_after", NO_STREAM)
        if after is NO_STREAM:
            await _send_response(send, response)
            return

        subscriber, upto = self.hub.subscribe()
        try:
            try:
                catch_up = await self.hub.run_sync(event_catch_up, after=after, upto=upto)
            except Exception as exc:
                logger.warning("event stream: catch-up failed (%s)", type(exc).__name__)
                unavailable = JsonResponse(
                    {"error": "The database is unavailable, please retry shortly"},
                    status=503,
                    headers={"Retry-After": "5"},
                )
                await _send_response(send, unavailable)
                return
            subscriber.after = catch_up.upto
            headers = [
                (name, value) for name, value in _headers(response) if name.lower() != b"content-length"
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            opening = [f"retry: {settings.LIVE_RETRY_MILLISECONDS}\n\n".encode(), *opening_events(catch_up)]
            watcher = asyncio.create_task(_close_on_disconnect(receive, subscriber))
            try:
                await send({"type": "http.response.body", "body": b"".join(opening), "more_body": True})
                await _pump(send, subscriber)
            except OSError:
                pass  # the client went away
            finally:
                watcher.cancel()
        finally:
            self.hub.unsubscribe(subscriber)

    def _get_response(self, request):
        response = self.handler.get_response(request)
        response.close()  # the request is finished; the stream is not Django's to hold
        return response


async def _pump(send, subscriber) -> None:
    """Send what arrives until the subscriber is closed; what queued up
    meanwhile goes out in one write."""
    while True:
        items = await subscriber.take()
        closing = CLOSE in items
        if closing:
            items = items[: items.index(CLOSE)]
        chunks = [chunk for position, chunk in items if position is None or position > subscriber.after]
        if chunks:
            await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
        if closing:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return


async def _close_on_disconnect(receive, subscriber) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    subscriber.close()


def _headers(response) -> list[tuple[bytes, bytes]]:
    headers = [(name.encode("ascii"), value.encode("latin1")) for name, value in response.items()]
    for cookie in response.cookies.values():
        headers.append((b"set-cookie", cookie.output(header="").encode("ascii").strip()))
    return headers


async def _send_response(send, response) -> None:
    body = b"".join(response) if response.streaming else response.content
    await send({"type": "http.response.start", "status": response.status_code, "headers": _headers(response)})
    await send({"type": "http.response.body", "body": body})

"""GET /api/events/ as the API's own workers answer it (the catch-up, then the
end), and the authentication both servers share with the rest of the API."""

import asyncio

import pytest
from django.contrib.auth.models import User

from live.selectors import event_head
from tickets.tests.factories import make_ticket


def test_the_api_workers_answer_with_the_missed_events_and_ready_then_close(api, events):
    make_ticket(title="seen")
    seen = event_head()
    missed = make_ticket(title="missed")

    response = api.get("/api/events/", HTTP_LAST_EVENT_ID=str(seen))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    body = response.content.decode()
    assert body.startswith("retry: 2000\n\n")
    assert f"id: {seen + 1}\nevent: ticket.created\ndata: " in body
    assert f'"id":{missed.pk}' in body
    assert body.endswith(f'id: {event_head()}\nevent: ready\ndata: {{"last_event_id":{event_head()}}}\n\n')


def test_the_query_parameter_replays_like_the_header_and_the_header_wins(api, events):
    make_ticket()
    head = event_head()

    by_query = api.get(f"/api/events/?last_event_id={head - 1}").content.decode()
    both = api.get(f"/api/events/?last_event_id={head - 1}", HTTP_LAST_EVENT_ID=str(head)).content.decode()

    assert "event: ticket.created" in by_query
    assert "event: ticket.created" not in both


@pytest.mark.parametrize(
    ("query", "header", "errors"),
    [
        ("?last_event_id=abc", None, {"last_event_id": ["Must be an event id (a whole number)."]}),
        ("?last_event_id=-1", None, {"last_event_id": ["Must be an event id (a whole number)."]}),
        ("?last_event_id=1&last_event_id=2", None, {"last_event_id": ["Give this parameter once."]}),
        ("?since=3", None, {"since": ["Unknown parameter."]}),
        ("", "1e9", {"Last-Event-ID": ["Must be an event id (a whole number)."]}),
        ("", "9" * 19, {"Last-Event-ID": ["Must be an event id (a whole number)."]}),
    ],
)
def test_bad_event_ids_and_unknown_parameters_are_a_400_naming_them(api, db, query, header, errors):
    headers = {"HTTP_LAST_EVENT_ID": header} if header else {}
    response = api.get(f"/api/events/{query}", **headers)

    assert (response.status_code, response.json()) == (400, errors)


REQUIRE_AN_AGENT = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}


def test_the_stream_uses_the_apis_authentication_and_permissions(api, events, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **REQUIRE_AN_AGENT}

    refused = api.get("/api/events/")
    api.force_login(User.objects.create_user("agent", password="pw-0123456789"))
    allowed = api.get("/api/events/")

    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/json"
    assert allowed.status_code == 200


def asgi_get(app, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict, bytes]:
    """One request to the stream server's ASGI app, disconnecting after the first body."""

    async def run():
        sent, first_body = [], asyncio.Event()

        requested = False

        async def receive():
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await first_body.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)
            if message["type"] == "http.response.body":
                first_body.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8001),
        }
        await asyncio.wait_for(app(scope, receive, send), timeout=10)
        await app.hub.stop()
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body

    return asyncio.run(run())


def test_the_stream_server_refuses_a_stranger_and_streams_to_a_signed_in_agent(api, events, settings):
    from live.server import EventStreamApp

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **REQUIRE_AN_AGENT}
    api.force_login(User.objects.create_user("agent", password="pw-0123456789"))
    cookie = f"sessionid={api.cookies['sessionid'].value}".encode()

    refused = asgi_get(EventStreamApp(), "/api/events/", [])
    allowed = asgi_get(EventStreamApp(), "/api/events/", [(b"cookie", cookie)])

    assert refused[0] == 403
    assert refused[1]["content-type"] == "application/json"
    assert allowed[0] == 200
    assert allowed[1]["content-type"] == "text/event-stream"
    assert b"event: ready" in allowed[2]

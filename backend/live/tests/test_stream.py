"""GET /api/events/ on real servers: the stream server (uvicorn) and gunicorn
workers sharing the test database, as deployed."""

import json
import socket
import time

import pytest
from django.db import connection

from devtools.db import database_url
from devtools.live import EventServer, EventStreamReader, Gunicorn, http
from devtools.markers import requires_postgresql
from live.selectors import event_head
from tickets.tests.factories import make_ticket

pytestmark = [requires_postgresql, pytest.mark.slow]

NEW_TICKET = {
    "title": "Live one",
    "description": "Seen everywhere",
    "category": "billing",
    "priority": "high",
}


@pytest.fixture
def server_env(transactional_db):
    return {
        "DATABASE_URL": database_url(connection.settings_dict),
        "LIVE_HEARTBEAT_SECONDS": "0.5",
        "API_AUTH": "open",  # the brief's open mode; test_views covers the closed one
    }


@pytest.fixture
def event_server(server_env):
    with EventServer(server_env) as server:
        yield server


def open_stream(server, **headers) -> EventStreamReader:
    stream = EventStreamReader(f"{server.url}/api/events/", headers=headers)
    assert stream.status == 200, stream.response.read()
    return stream


def test_a_ticket_created_through_the_api_reaches_the_stream_within_two_seconds(event_server, server_env):
    with Gunicorn(server_env, workers=1, threads=2) as api:
        stream = open_stream(event_server)
        stream.until("ready")
        started = time.monotonic()
        status, _, body = http("POST", f"{api.url}/api/tickets/", json.dumps(NEW_TICKET).encode())
        assert status == 201
        event_id, name, data = stream.until("ticket.created", timeout=2)
        elapsed = time.monotonic() - started
        _, _, detail = http("GET", f"{api.url}/api/tickets/{json.loads(body)['id']}/")
        stream.close()

    assert elapsed < 2
    assert data == json.loads(detail)
    assert int(event_id) == event_head()


def test_the_stream_disables_caching_and_proxy_buffering_and_allows_the_apps_origin(event_server):
    stream = open_stream(event_server, Origin="http://localhost:3000")
    stream.close()

    assert stream.headers["Content-Type"] == "text/event-stream"
    assert stream.headers["Cache-Control"] == "no-cache"
    assert stream.headers["X-Accel-Buffering"] == "no"
    assert stream.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert stream.headers["access-control-allow-credentials"] == "true"


def test_a_keep_alive_comment_goes_out_every_heartbeat(event_server):
    stream = open_stream(event_server)
    stream.until("ready")
    with pytest.raises(TimeoutError):
        stream.next_event(timeout=1.3)
    stream.close()

    assert stream.comments.count("keep-alive") >= 2


def test_a_reconnect_with_last_event_id_receives_what_it_missed_in_order(event_server):
    make_ticket(title="seen")
    seen = event_head()
    missed = [make_ticket(title="missed 1"), make_ticket(title="missed 2")]

    stream = open_stream(event_server, **{"Last-Event-ID": str(seen)})
    received = [stream.next_event()]
    while [data.get("title") for _, name, data in received if name == "ticket.created"] != [
        "missed 1",
        "missed 2",
    ]:
        received.append(stream.next_event())
    stream.close()

    # The catch-up, `ready`, then live events: the server may have read the
    # tickets before or after this client arrived, but sends each once, in order.
    assert [name for _, name, _ in received].count("ready") == 1
    ids = [int(event_id) for event_id, name, _ in received if name != "ready"]
    assert ids == [seen + 1, seen + 2]
    assert [data["id"] for _, name, data in received if name != "ready"] == [t.pk for t in missed]


def test_an_unknown_last_event_id_gets_reset(event_server):
    make_ticket()
    stream = open_stream(event_server, **{"Last-Event-ID": str(event_head() + 1000)})
    first = stream.next_event()
    stream.close()

    assert first[1:] == ("reset", {"reason": "unknown_event_id"})
    assert int(first[0]) <= event_head()  # the position the live events follow


def test_bad_input_is_a_json_400_and_other_paths_a_json_404(event_server):
    status, headers, body = http("GET", f"{event_server.url}/api/events/?last_event_id=abc")
    assert status == 400
    assert json.loads(body) == {"last_event_id": ["Must be an event id (a whole number)."]}
    status, _, body = http("GET", f"{event_server.url}/api/events/?since=1")
    assert (status, json.loads(body)) == (400, {"since": ["Unknown parameter."]})
    status, _, body = http("GET", f"{event_server.url}/api/tickets/")
    assert (status, json.loads(body)) == (404, {"detail": "Not found."})
    status, _, body = http("POST", f"{event_server.url}/api/events/", b"{}")
    assert status == 400


def test_a_stream_server_restarted_lets_clients_catch_up_from_last_event_id(event_server):
    stream = open_stream(event_server)
    last_id, _, _ = stream.until("ready")
    event_server.stop()
    with pytest.raises((ConnectionError, TimeoutError, OSError)):
        stream.next_event(timeout=5)
    stream.close()
    during = make_ticket(title="while the server was down")
    event_server.start()

    again = open_stream(event_server, **{"Last-Event-ID": last_id})
    _, name, data = again.next_event()
    again.close()

    assert (name, data["id"]) == ("ticket.created", during.pk)


def test_a_change_through_one_api_process_reaches_a_stream_of_the_other(server_env):
    """Two API deployments (gunicorn and its stream server each) on different
    ports, one database: every change reaches every stream."""
    with (
        Gunicorn(server_env, workers=1, threads=2) as api_a,
        Gunicorn(server_env, workers=1, threads=2) as api_b,
        EventServer(server_env) as events_a,
        EventServer(server_env) as events_b,
    ):
        before = event_head()
        stream_a, stream_b = open_stream(events_a), open_stream(events_b)
        stream_a.until("ready")
        stream_b.until("ready")

        status, _, body = http("POST", f"{api_a.url}/api/tickets/", json.dumps(NEW_TICKET).encode())
        assert status == 201
        ticket_id = json.loads(body)["id"]
        _, _, on_b = stream_b.until("ticket.created", timeout=2)
        _, _, on_a = stream_a.until("ticket.created", timeout=2)

        status, _, _ = http("PATCH", f"{api_b.url}/api/tickets/{ticket_id}/", b'{"status": "closed"}')
        assert status == 200
        _, _, update_on_a = stream_a.until("ticket.updated", timeout=2)
        _, _, update_on_b = stream_b.until("ticket.updated", timeout=2)
        stream_a.close()
        stream_b.close()

        # The API workers answer the same path with the catch-up, then close.
        status, headers, polled = http(
            "GET", f"{api_b.url}/api/events/", headers={"Last-Event-ID": str(before)}
        )

    assert on_a["id"] == on_b["id"] == ticket_id
    assert update_on_a == update_on_b
    assert (update_on_a["status"], update_on_a["changed"]) == ("closed", ["status", "updated_at"])
    assert status == 200
    assert headers["Content-Type"] == "text/event-stream"
    assert b"event: ticket.created" in polled and b"event: ticket.updated" in polled
    assert polled.rstrip().endswith(b'data: {"last_event_id":%d}' % event_head())


class RawStream:
    """A stream read without a client library, to see the server's writes: each
    write is one HTTP chunk."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(
            b"GET /api/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        self.reader = self.sock.makefile("rb")
        while self.reader.readline() not in (b"\r\n", b""):
            pass  # the status line and the headers

    def chunk(self) -> bytes:
        size = int(self.reader.readline().strip(), 16)
        return self.reader.read(size + 2)[:size]

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def test_a_steady_flow_of_changes_goes_out_in_a_few_writes_not_one_per_event(server_env):
    with EventServer({**server_env, "LIVE_WRITES_PER_SECOND": "3"}) as server:
        stream = RawStream(server.port)
        while b"event: ready" not in stream.chunk():
            pass
        for k in range(20):  # one change every 50 ms for a second
            make_ticket(title=f"steady {k}")
            time.sleep(0.05)
        writes, created = 0, 0
        while created < 20:
            chunk = stream.chunk()
            if b"event: ticket.created" in chunk:
                writes += 1
                created += chunk.count(b"event: ticket.created")
        stream.close()

    # One open stream at 3 writes a second: a batch per 333 ms, about four, never one per event.
    assert 2 <= writes <= 8

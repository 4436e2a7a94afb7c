"""The edge (edge/nginx.conf) in front of gunicorn, run with the local nginx
binary: slow clients cannot stall the API through it, the client address it
forwards cannot be forged, bursts from one address are cut, and no log line
holds a query string."""

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from devtools.db import database_url
from devtools.live import EDGE_CONFIG, NGINX, Gunicorn, Nginx, http
from devtools.markers import requires_postgresql

pytestmark = [
    pytest.mark.slow,
    requires_postgresql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not EDGE_CONFIG.exists(), reason="the repository root is not here"),
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK), reason="nginx is not installed (apt-get install nginx-light)"
    ),
]
SLOW_SOURCE = "127.0.0.2"  # the slow clients' own address; the normal ones use 127.0.0.1
# Shorter than production's 10 s so the test can watch the edge close them.
FAST_TIMEOUTS = {"client_header_timeout 10s;": "client_header_timeout 3s;"}


def server_env(**extra):
    return {"DATABASE_URL": database_url(connection.settings_dict), "OPENAI_API_KEY": "", **extra}


class SlowLoris:
    """Connections that send a request one byte at a time: half still in the
    headers, half in a body that announces 1,000 bytes."""

    def __init__(self, port, count, source=SLOW_SOURCE, interval=0.5):
        self.sockets = []
        self.stop = threading.Event()
        self.interval = interval
        for i in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
            if i % 2 == 0:
                sock.sendall(b"GET /api/tickets/stats/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            else:
                sock.sendall(
                    b"POST /api/tickets/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                )
            self.sockets.append(sock)
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self):
        while not self.stop.wait(self.interval):
            for sock in self.sockets:
                try:
                    sock.send(b"x")
                except OSError:
                    pass  # closed by the server: what the edge should do

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()

    def closed_by_server(self, indexes):
        closed = 0
        for i in indexes:
            sock = self.sockets[i]
            sock.settimeout(0.2)
            try:
                data = sock.recv(4096)
                closed += data == b"" or data.startswith(b"HTTP/1.1 408")
            except TimeoutError:
                pass
            except OSError:
                closed += 1
        return closed


def timed_get(url, timeout=5):
    started = time.perf_counter()
    try:
        status, _, _ = http("GET", url, timeout=timeout)
    except OSError:
        status = None
    return status, time.perf_counter() - started


def test_fifty_slow_loris_connections_through_the_edge_do_not_stall_the_api():
    with Gunicorn(server_env(), workers=1, threads=2) as api:
        # Without the edge: three slow clients hold both threads.
        with SlowLoris(api.port, 3):
            time.sleep(0.5)
            direct_status, direct_time = timed_get(f"{api.url}/api/tickets/stats/", timeout=3)
        assert direct_status is None, "the attack works against gunicorn alone"
        time.sleep(1)
        assert timed_get(f"{api.url}/api/tickets/stats/")[0] == 200
        seen_before_edge = len(api.log())

        with Nginx(api.port, overrides=FAST_TIMEOUTS) as edge, SlowLoris(edge.port, 50) as loris:
            answers = []
            deadline = time.monotonic() + 6
            while time.monotonic() < deadline:
                answers.append(timed_get(f"{edge.url}/api/tickets/stats/"))
                time.sleep(0.2)
            header_closed = loris.closed_by_server(range(0, 50, 2))
            body_open = 25 - loris.closed_by_server(range(1, 50, 2))
            gunicorn_log = api.log()[seen_before_edge:]

    statuses = [status for status, _ in answers]
    slowest = max(elapsed for _, elapsed in answers)
    print(
        f"\nslow-loris: direct to gunicorn (1 worker x 2 threads, 3 slow clients): no answer in "
        f"{direct_time:.1f}s; through the edge with 50 slow clients: {len(answers)} requests, "
        f"all {set(statuses)}, slowest {slowest * 1000:.0f} ms; {header_closed}/25 header tricklers "
        f"closed by the edge after 3 s, {body_open}/25 body tricklers held by the edge"
    )
    assert statuses and all(status == 200 for status in statuses)
    assert slowest < 1.0
    assert header_closed == 25
    assert "POST /api/tickets/" not in gunicorn_log, "no slow body ever reached gunicorn"


def test_the_edge_forwards_the_real_client_address_cuts_bursts_and_logs_no_query(tmp_path: Path):
    with (
        Gunicorn(server_env(NUM_PROXIES="1", CLASSIFY_RATE="2/minute"), workers=1, threads=4) as api,
        # The production rate (30/s, burst 60), slowed down so a loaded machine still bursts past it.
        Nginx(api.port, overrides={"rate=30r/s": "rate=2r/s", "burst=60": "burst=20"}) as edge,
    ):
        classify = [
            http(
                "POST",
                f"{edge.url}/api/tickets/classify/",
                json.dumps({"description": "x"}).encode(),
                headers={"Content-Type": "application/json", "X-Forwarded-For": f"203.0.113.{i}"},
            )[0]
            for i in range(4)
        ]
        secret = "customer-secret-4242"
        searched = http("GET", f"{edge.url}/api/tickets/?search={secret}&page_size=5")[0]
        answers = [http("GET", f"{edge.url}/api/tickets/?page_size=1") for _ in range(60)]
        edge_log, api_log = edge.log(), api.log()

    assert classify == [200, 200, 429, 429], "a forged X-Forwarded-For is not the client address"
    assert searched == 200
    burst = [status for status, _, _ in answers]
    # The burst allowance (20, less the 5 requests above), then 429.
    assert burst[:10] == [200] * 10 and 429 in burst
    throttled = next(body for status, _, body in answers if status == 429)
    assert json.loads(throttled)["detail"].startswith("Request was throttled")
    print(
        f"\nedge burst: {burst.count(200)} of 60 back-to-back requests answered, {burst.count(429)} got 429"
    )
    assert "GET /api/tickets/ HTTP/1.1" in edge_log and "GET /api/tickets/ HTTP/1.1" in api_log
    assert secret not in edge_log and secret not in api_log

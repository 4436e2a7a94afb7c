"""Restarts without errors: `kill -HUP` of gunicorn's master while mixed
traffic runs (new workers start, the old ones finish what they hold), and
SIGTERM, which lets requests in flight finish before the server exits."""

import http.client as httpclient
import json
import os
import random
import signal
import threading
import time

import psutil
import pytest
from django.db import connection

from devtools.db import database_url
from devtools.fake_llm import FakeLLM
from devtools.live import Gunicorn, http
from devtools.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TICKET = {
    "title": "Rolling",
    "description": "Restarted under load",
    "category": "technical",
    "priority": "low",
}


class MixedTraffic(threading.Thread):
    """One keep-alive client sending creates, patches, pages and stats until
    stopped. A response with `Connection: close` (a stopping worker) is a
    complete answer: the client then opens a new connection. Anything else
    than a 2xx, or a connection that fails, is a failed request."""

    def __init__(self, port: int, seed: int):
        super().__init__(daemon=True)
        self.port, self.rng = port, random.Random(seed)
        self.stop = threading.Event()
        self.done, self.failures, self.mine = 0, [], []

    def pick(self):
        roll = self.rng.random()
        if roll < 0.25 or not self.mine:
            return "POST", "/api/tickets/", json.dumps(TICKET).encode()
        if roll < 0.45:
            status = self.rng.choice(["open", "in_progress", "resolved", "closed"])
            return (
                "PATCH",
                f"/api/tickets/{self.rng.choice(self.mine)}/",
                json.dumps({"status": status}).encode(),
            )
        if roll < 0.8:
            return "GET", self.rng.choice(["/api/tickets/?page_size=20", "/api/tickets/?limit=10"]), None
        return "GET", "/api/tickets/stats/", None

    def run(self):
        conn = None
        while not self.stop.is_set():
            method, path, body = self.pick()
            try:
                if conn is None:
                    # Generous: requests that arrive while the new workers load the
                    # app wait in the listen queue (seconds on a busy machine).
                    conn = httpclient.HTTPConnection("127.0.0.1", self.port, timeout=180)
                conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
                if response.status >= 300:
                    self.failures.append(f"{method} {path}: HTTP {response.status} {payload[:200]!r}")
                elif method == "POST":
                    self.mine.append(json.loads(payload)["id"])
                self.done += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, httpclient.HTTPException) as exc:
                self.failures.append(f"{method} {path}: {type(exc).__name__} {exc}")
                conn = None
        if conn is not None:
            conn.close()


def wait_for_new_workers(server: Gunicorn, old: set[int], count: int, seconds: float = 60) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = set(server.worker_pids())
        if len(current) == count and not current & old:
            return current
        time.sleep(0.1)
    raise AssertionError(f"workers {old} were not all replaced within {seconds}s: {server.worker_pids()}")


def test_kill_hup_under_mixed_load_fails_no_request():
    env = {"DATABASE_URL": database_url(connection.settings_dict), "LOG_LEVEL": "WARNING"}
    with Gunicorn(env, workers=2, threads=4) as server:
        clients = [MixedTraffic(server.port, seed) for seed in range(8)]
        for client in clients:
            client.start()
        time.sleep(2)
        workers = set(server.worker_pids())
        during_restarts = []
        for _ in range(2):
            before = sum(client.done for client in clients)
            os.kill(server.process.pid, signal.SIGHUP)
            workers = wait_for_new_workers(server, workers, 2)
            http("GET", f"{server.url}/api/tickets/stats/", timeout=180)  # the new workers answer
            time.sleep(3)  # traffic on the new workers
            during_restarts.append(sum(client.done for client in clients) - before)
        for client in clients:
            client.stop.set()
        for client in clients:
            client.join(timeout=30)
        log = server.log()

    done = sum(client.done for client in clients)
    failures = [failure for client in clients for failure in client.failures]
    print(
        f"\nrolling restart: 2 x HUP, {done} requests by 8 clients "
        f"({' and '.join(map(str, during_restarts))} from each HUP to 3 s after its new workers answered), "
        f"{len(failures)} failed"
    )
    assert all(count > 0 for count in during_restarts), "traffic went on through every restart"
    assert failures == []
    assert "Traceback" not in log


def test_sigterm_lets_a_request_in_flight_finish_then_exits():
    with FakeLLM(delay=3) as llm:
        env = {
            "DATABASE_URL": database_url(connection.settings_dict),
            "OPENAI_API_KEY": "sk-restart-test",
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_TIMEOUT": "10",
            "GUNICORN_GRACEFUL_TIMEOUT": "20",
        }
        with Gunicorn(env, workers=1, threads=2) as server:
            result = {}

            def classify():
                body = json.dumps({"description": "I was charged twice"}).encode()
                result["answer"] = http("POST", f"{server.url}/api/tickets/classify/", body, timeout=30)
                result["at"] = time.monotonic()

            caller = threading.Thread(target=classify)
            caller.start()
            time.sleep(1)  # the call waits on the LLM (3 s)
            master = psutil.Process(server.process.pid)
            server.process.send_signal(signal.SIGTERM)
            signalled = time.monotonic()
            caller.join(timeout=30)
            server.process.wait(timeout=30)
            exited = time.monotonic()

    status, _, body = result["answer"]
    print(
        f"\nSIGTERM: the classify in flight answered {status} after {result['at'] - signalled:.1f}s; exit after {exited - signalled:.1f}s"
    )
    assert status == 200
    assert "note" not in json.loads(body)  # the LLM's own answer, not the fallback
    assert result["at"] - signalled > 1  # it really was in flight when the signal came
    assert not master.is_running()

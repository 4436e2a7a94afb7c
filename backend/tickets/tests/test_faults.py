"""Faults against a live gunicorn: a misbehaving LLM, a database that stops and
comes back, and concurrent updates of one ticket."""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from devtools.db import database_url
from devtools.fake_llm import FakeLLM, ScriptedAnswer
from devtools.live import BACKEND_DIR, Gunicorn, ThrowawayPostgres, http
from devtools.markers import requires_postgresql, requires_postgresql_binaries

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FALLBACK = {
    "suggested_category": "general",
    "suggested_priority": "medium",
    "note": "Using default values (LLM unavailable)",
}
LLM_TIMEOUT = 2.0
TICKET = {
    "title": "Printer on fire",
    "description": "It is on fire",
    "category": "technical",
    "priority": "high",
}


def post_json(url, payload, **kwargs):
    return http("POST", url, json.dumps(payload).encode(), **kwargs)


@pytest.fixture
def fake_llm_live():
    with FakeLLM() as fake:
        yield fake


@pytest.fixture
def live_api(fake_llm_live):
    env = {
        "DATABASE_URL": database_url(connection.settings_dict),
        "API_AUTH": "open",
        "OPENAI_API_KEY": "sk-live-fault-key-987654321",
        "OPENAI_BASE_URL": fake_llm_live.base_url,
        "OPENAI_TIMEOUT": str(LLM_TIMEOUT),
        "CLASSIFY_RATE": "1000/minute",
    }
    with Gunicorn(env, workers=1, threads=4) as server:
        yield server


LLM_FAULTS = {
    "hangs": ScriptedAnswer(delay=30),
    "refuses connections": None,  # the base URL is pointed at a closed port instead
    "429 with Retry-After 120": ScriptedAnswer(
        status=429, raw_body=b'{"error": {}}', headers={"Retry-After": "120"}
    ),
    "500": ScriptedAnswer(status=500, raw_body=b'{"error": {"message": "boom"}}'),
    "garbage": ScriptedAnswer(status=200, raw_body=b"\x00\xffnot json at all"),
}


@pytest.mark.parametrize("fault", list(LLM_FAULTS))
@requires_postgresql
def test_a_failing_llm_gives_the_fallback_in_time_while_other_endpoints_answer(
    live_api, fake_llm_live, fault, monkeypatch
):
    answer = LLM_FAULTS[fault]
    if answer is None:
        fake_llm_live.stop()
    else:
        fake_llm_live.answer(answer, answer)

    result = {}

    def classify():
        started = time.monotonic()
        result["response"] = post_json(
            f"{live_api.url}/api/tickets/classify/", {"description": f"Case {fault}"}
        )
        result["elapsed"] = time.monotonic() - started
        result["finished_at"] = time.monotonic()

    worker = threading.Thread(target=classify)
    worker.start()
    # With one worker process, list and stats share it with the hung classify.
    others = []
    while worker.is_alive() and len(others) < 20:
        for path in ("/api/tickets/stats/", "/api/tickets/?limit=5"):
            started = time.monotonic()
            status, _, _ = http("GET", live_api.url + path, timeout=10)
            others.append((path, status, time.monotonic() - started, time.monotonic()))
        time.sleep(0.05)
    worker.join(timeout=LLM_TIMEOUT + 10)

    status, _, body = result["response"]
    slowest = max((elapsed for _, _, elapsed, _ in others), default=0.0)
    print(
        f"\nLLM {fault}: classify fell back in {result['elapsed']:.2f}s "
        f"(OPENAI_TIMEOUT={LLM_TIMEOUT:g}); {len(others)} list/stats requests meanwhile, slowest {slowest * 1000:.0f} ms"
    )
    assert (
        status == 200
        and {k: v for k, v in json.loads(body).items() if k not in {"suggestion_id", "source"}} == FALLBACK
    )
    assert result["elapsed"] < LLM_TIMEOUT + 3.0
    assert others and all(status == 200 for _, status, _, _ in others)
    if fault == "hangs":
        # They were answered while classify was still waiting for the LLM.
        assert any(done < result["finished_at"] for *_, done in others)


@requires_postgresql
def test_concurrent_patches_leave_the_ticket_in_one_submitted_state(live_api):
    status, _, body = post_json(f"{live_api.url}/api/tickets/", TICKET)
    assert status == 201
    url = f"{live_api.url}/api/tickets/{json.loads(body)['id']}/"
    variants = [
        {
            "title": f"Variant {n}",
            "description": f"Body {n}",
            "category": category,
            "priority": priority,
            "status": state,
        }
        for n, (category, priority, state) in enumerate(
            [
                ("billing", "low", "open"),
                ("technical", "medium", "in_progress"),
                ("account", "high", "resolved"),
                ("general", "critical", "closed"),
            ]
        )
    ]
    fields = list(variants[0])

    def patch(n):
        return http("PATCH", url, json.dumps(variants[n % len(variants)]).encode())[0]

    statuses, seen = [], set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(10):
            statuses += list(pool.map(patch, range(16)))
            final = json.loads(http("GET", url)[2])
            state = tuple(final[f] for f in fields)
            assert state in {tuple(v[f] for f in fields) for v in variants}, f"mixed state: {final}"
            seen.add(state[0])
    print(f"\nconcurrent PATCH: {len(statuses)} requests, final states seen: {sorted(seen)}")
    assert set(statuses) == {200}


@requires_postgresql_binaries
def test_database_stop_gives_json_503_and_the_api_recovers_without_a_restart():
    with ThrowawayPostgres() as pg:
        url = pg.url
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=BACKEND_DIR,
            check=True,
            capture_output=True,
            env={**os.environ, "DATABASE_URL": url},
        )
        env = {"DATABASE_URL": url, "API_AUTH": "open", "DATABASE_CONNECT_TIMEOUT": "2", "OPENAI_API_KEY": ""}
        with Gunicorn(env, workers=2, threads=4) as server:
            log, stop = [], threading.Event()

            def client(n):
                while not stop.is_set():
                    if n % 3 == 0:
                        answer = post_json(
                            f"{server.url}/api/tickets/", {**TICKET, "title": f"Load {n}"}, timeout=15
                        )
                    else:
                        answer = http(
                            "GET",
                            server.url + ("/api/tickets/stats/" if n % 3 == 1 else "/api/tickets/?limit=5"),
                            timeout=15,
                        )
                    log.append((time.monotonic(), *answer))
                    time.sleep(0.02)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
            for thread in threads:
                thread.start()
            try:
                time.sleep(2)
                stopped_at = time.monotonic()
                pg.stop()
                time.sleep(3)
                restarted_at = time.monotonic()
                pg.start()
                ready_after = time.monotonic() - restarted_at
                deadline = restarted_at + 30
                while time.monotonic() < deadline:
                    recent = [entry for entry in log if entry[0] > restarted_at]
                    if sum(1 for entry in recent if entry[1] < 300) >= 10:
                        break
                    time.sleep(0.1)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=20)
            gunicorn_log = server.log()

    during = [entry for entry in log if stopped_at < entry[0] <= restarted_at]
    after = [entry for entry in log if entry[0] > restarted_at]
    errors = [entry for entry in log if entry[1] >= 300]
    first_success = min((entry[0] for entry in after if entry[1] < 300), default=None)
    recovery = None if first_success is None else first_success - restarted_at
    print(
        f"\ndatabase stop: {len(log)} requests, {len(during)} while it was down "
        f"({sum(1 for e in during if e[1] == 503)} JSON 503); PostgreSQL took {ready_after:.2f}s to start, the API "
        f"answered again {recovery if recovery is None else f'{recovery:.2f}s'} after the start, without a restart"
    )

    assert any(entry[1] == 503 for entry in during)
    for _, status, headers, body in errors:
        assert status == 503, body[:300]
        assert headers.get("Content-Type", "").startswith("application/json")
        assert set(json.loads(body)) == {"error"}
        assert b"Traceback" not in body and b"<html" not in body.lower()
        assert headers.get("Retry-After") == "5"
    assert recovery is not None, "the API did not recover after the database came back"
    assert "Traceback" not in gunicorn_log

"""Many open event streams beside the mixed load (loopback only, bounded in time).

    backend/.venv/bin/python loadtest/streams.py [--n 100000] [--streams 500] [--seconds 10] [--rounds 3]

A fresh PostgreSQL database (tickets_bench_live unless --database), seeded
with N tickets as `make bench` does; gunicorn (gunicorn.conf.py) and the event
stream server (`python -m live`). Then ROUNDS rounds of the mixed read/write
load without streams, then with STREAMS streams opened by a separate client
process (closed again before the next round), so that the machine's drift
falls on both alike; each condition's requests are pooled for its p99. Also:
the stream server's memory per open stream, and the time from a PATCH's
request to its event's arrival on every stream (p50, p99, max), for a series
of PATCHes sent one at a time while the streams are open.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import uvloop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, seed  # noqa: E402
from bench.__main__ import default_server, free_port, gunicorn_command, wait_for  # noqa: E402
from devtools.db import drop_database, recreate_database, with_database  # noqa: E402
from devtools.live import stop_process  # noqa: E402

BACKEND = ROOT / "backend"
PROBE = "Delivery probe"


# --- the stream holder (a separate process, so its CPU is not the load's) ---------


async def _hold(port: int, count: int) -> None:
    """Opens `count` streams on "open", closes them on "close" (each answered
    with a line once done); at the end of its input, prints the probes' arrivals."""
    arrivals: dict[str, list[float]] = {}
    probe = PROBE.encode()
    opened = 0

    async def one_stream():
        nonlocal opened
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(b"GET /api/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                raise RuntimeError(f"stream refused: {status!r}")
            opened += 1
            # Read what arrives as it comes and look only for the probes' events: the
            # browsers this stands for are elsewhere, so the holder stays cheap.
            pending = b""
            while chunk := await reader.read(65536):
                pending += chunk
                end = pending.rfind(b"\n\n")
                if end < 0:
                    continue
                complete, pending = pending[: end + 2], pending[end + 2 :]
                if probe not in complete:
                    continue
                now = time.time()
                for line in complete.split(b"\n"):
                    if line.startswith(b"data: ") and probe in line:
                        title = json.loads(line[6:])["title"]
                        arrivals.setdefault(title, []).append(now)
        finally:
            writer.close()

    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task] = []
    while command := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        if command == "open":
            opened = 0
            for _ in range(count):
                tasks.append(asyncio.create_task(one_stream()))
                await asyncio.sleep(0.002)
            while opened < count:
                await asyncio.sleep(0.05)
                for task in tasks:
                    if task.done() and not task.cancelled() and task.exception():
                        raise task.exception()
            print("ready", flush=True)
        elif command == "close":
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            tasks.clear()
            print("closed", flush=True)
    print(json.dumps(arrivals), flush=True)
    for task in tasks:
        task.cancel()


# --- the run ------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def mixed_pick(ids):
    def pick(rng):
        roll = rng.random()
        if roll < 0.30:
            return "first page", "GET", "/api/tickets/?page_size=50", None
        if roll < 0.45:
            return "filtered page", "GET", "/api/tickets/?page_size=50&category=technical&status=open", None
        if roll < 0.55:
            return "search", "GET", f"/api/tickets/?page_size=50&search={seed.RARE_WORD}", None
        if roll < 0.65:
            return "stats", "GET", "/api/tickets/stats/", None
        if roll < 0.85:
            return "retrieve", "GET", f"/api/tickets/{rng.choice(ids)}/", None
        if roll < 0.93:
            body = {
                "title": "Load ticket",
                "description": "Printer offline",
                "category": "technical",
                "priority": "low",
            }
            return "create", "POST", "/api/tickets/", json.dumps(body).encode()
        status = rng.choice(["open", "in_progress", "resolved", "closed"])
        return "patch", "PATCH", f"/api/tickets/{rng.choice(ids)}/", json.dumps({"status": status}).encode()

    return pick


def percentile(values, q):
    return load.percentile(values, q)


def pooled(results) -> load.LoadResult:
    """Every request of several phases taken together, as one result."""
    merged = load.LoadResult(seconds=sum(result.seconds for result in results))
    for result in results:
        for kind, latencies in result.latencies.items():
            merged.latencies.setdefault(kind, []).extend(latencies)
        for kind, count in result.errors.items():
            merged.errors[kind] = merged.errors.get(kind, 0) + count
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10, help="length of each mixed-load phase")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the load without, then with streams")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--probes", type=int, default=20, help="PATCHes whose delivery is timed")
    parser.add_argument("--server", default=default_server())
    parser.add_argument("--database", default="tickets_bench_live")
    parser.add_argument("--hold", type=int, help=argparse.SUPPRESS)  # internal: the holder process
    args = parser.parse_args()
    if args.hold:
        # uvloop (the stream server's loop too) keeps the holder's reads cheap.
        uvloop.run(_hold(args.hold, args.streams))
        return 0

    url = with_database(args.server, args.database)
    print(f"database {args.database}: recreating, migrating, seeding {args.n:,} tickets", flush=True)
    recreate_database(args.server, args.database)
    seed.migrate(url, sys.executable)
    seed.seed(url, args.n)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The brief's open API: the simulated clients and streams do not sign in.
        "API_AUTH": "open",
        # Every simulated client is 127.0.0.1: the run measures the API, not the write throttle.
        "TICKET_WRITE_RATE": "1000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    port, events_port = free_port(), free_port()
    procs = []
    failures = []
    try:
        command, _ = gunicorn_command(port)
        procs.append(
            subprocess.Popen(command, cwd=BACKEND, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
        )
        events = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "live",
                "--host",
                "127.0.0.1",
                "--port",
                str(events_port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=BACKEND,
            env=env,
            start_new_session=True,
        )
        procs.append(events)
        wait_for(port, "/api/tickets/stats/")
        wait_for(events_port, "/api/ready-check/")
        import psycopg2

        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            # Done now rather than by autovacuum in the middle of a timed phase.
            cur.execute("VACUUM ANALYZE")
            cur.execute("SELECT id FROM tickets_ticket ORDER BY random() LIMIT 1000")
            ids = [row[0] for row in cur.fetchall()]
        conn.close()
        pick = mixed_pick(ids)

        load.run_load(port, [(args.clients, pick)], 5)  # warm-up, unmeasured
        holder = subprocess.Popen(
            [sys.executable, __file__, "--hold", str(events_port), "--streams", str(args.streams)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        procs.append(holder)

        def streams(command: str, answer: str) -> None:
            holder.stdin.write(command + "\n")
            holder.stdin.flush()
            if holder.stdout.readline().strip() != answer:
                raise RuntimeError(f"the stream holder did not {command} its streams")

        # Rounds of the load without streams, then with them: the machine's
        # drift over the run falls on both alike instead of passing for the
        # streams' cost.
        rounds = {"without": [], "with": []}
        rss_before = rss_after = None
        for k in range(args.rounds):
            print(
                f"  round {k + 1}/{args.rounds}: mixed load without streams ({args.seconds:g} s) ...",
                flush=True,
            )
            rounds["without"].append(load.run_load(port, [(args.clients, pick)], args.seconds))
            if rss_before is None:
                rss_before = rss_mb(events.pid)
            streams("open", "ready")
            time.sleep(1)
            if rss_after is None:
                rss_after = rss_mb(events.pid)
            print(
                f"  round {k + 1}/{args.rounds}: {args.streams} streams open, the same load ...", flush=True
            )
            rounds["with"].append(load.run_load(port, [(args.clients, pick)], args.seconds))
            if k < args.rounds - 1:
                streams("close", "closed")

        print(f"  {args.probes} delivery probes ...", flush=True)
        client = load.Client(port)
        sent = {}
        rng = random.Random(3)
        for k in range(args.probes):
            title = f"{PROBE} {k}"
            sent[title] = time.time()
            status, _ = client.request("PATCH", f"/api/tickets/{rng.choice(ids)}/", {"title": title})
            if status != 200:
                failures.append(f"probe PATCH answered {status}")
            time.sleep(0.5)
        time.sleep(2.5)
        client.close()
        holder.stdin.close()
        arrivals = json.loads(holder.stdout.readline())
        delays, missing = [], 0
        for title, started in sent.items():
            got = arrivals.get(title, [])
            missing += args.streams - len(got)
            delays += [(t - started) * 1000 for t in got]
        if missing:
            failures.append(f"{missing} probe deliveries missing")
        summaries = {name: pooled(results).summary() for name, results in rounds.items()}

        result = {
            "n": args.n,
            "streams": args.streams,
            "clients": args.clients,
            "rounds": args.rounds,
            "seconds_per_phase": args.seconds,
            "each_round": [
                {"without": without.summary(), "with": with_.summary()}
                for without, with_ in zip(rounds["without"], rounds["with"], strict=True)
            ],
            "mixed_without_streams": summaries["without"],
            "mixed_with_streams": summaries["with"],
            "p99_change_percent": (summaries["with"]["p99_ms"] / summaries["without"]["p99_ms"] - 1) * 100,
            "event_server_rss_mb": {"before": rss_before, "with_streams": rss_after},
            "kib_per_stream": (rss_after - rss_before) * 1024 / args.streams,
            "delivery_ms": {
                "deliveries": len(delays),
                "p50": percentile(delays, 50),
                "p99": percentile(delays, 99),
                "max": max(delays, default=float("nan")),
            },
            "load_average": os.getloadavg(),
            "failures": failures,
        }
        print(json.dumps(result, indent=2))
    finally:
        for proc in reversed(procs):
            stop_process(proc, timeout=30)
        drop_database(args.server, args.database)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

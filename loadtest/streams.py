"""Many open event streams beside the mixed load (loopback only, bounded in time).

    backend/.venv/bin/python loadtest/streams.py [--n 100000] [--streams 500] [--seconds 20]

A fresh PostgreSQL database (tickets_bench_live unless --database), seeded
with N tickets as `make bench` does; gunicorn (gunicorn.conf.py) and the event
stream server (`python -m live`). Then: the mixed read/write load without
streams; STREAMS streams opened by a separate client process and held while the
same load runs again, and once more without them after; the stream server's
memory per open stream; and the time from a PATCH's request to its event's
arrival on every stream (p50, p99, max), for a series of PATCHes sent one at a
time while the streams are open.
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
    arrivals: dict[str, list[float]] = {}
    opened = 0
    probe = PROBE.encode()

    async def one_stream():
        nonlocal opened
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
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

    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(one_stream()))
        await asyncio.sleep(0.002)
    while opened < count:
        await asyncio.sleep(0.05)
        for task in tasks:
            if task.done() and task.exception():
                raise task.exception()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=15, help="length of each mixed-load phase")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--probes", type=int, default=20, help="PATCHes whose delivery is timed")
    parser.add_argument("--server", default=default_server())
    parser.add_argument("--database", default="tickets_bench_live")
    parser.add_argument("--hold", type=int, help=argparse.SUPPRESS)  # internal: the holder process
    args = parser.parse_args()
    if args.hold:
        asyncio.run(_hold(args.hold, args.streams))
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
        print(f"  mixed load without streams ({args.seconds:g} s) ...", flush=True)
        without = load.run_load(port, [(args.clients, pick)], args.seconds).summary()

        rss_before = rss_mb(events.pid)
        holder = subprocess.Popen(
            [sys.executable, __file__, "--hold", str(events_port), "--streams", str(args.streams)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        procs.append(holder)
        if holder.stdout.readline().strip() != "ready":
            raise RuntimeError("the stream holder did not open its streams")
        time.sleep(1)
        rss_after = rss_mb(events.pid)
        print(f"  {args.streams} streams open; mixed load with them ({args.seconds:g} s) ...", flush=True)
        with_streams = load.run_load(port, [(args.clients, pick)], args.seconds).summary()

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
        # The load without streams once more, after them: the figure to compare
        # with is the mean of the two, so that a drift of the machine over the
        # run does not pass for the streams' cost.
        print(f"  streams closed; mixed load without them again ({args.seconds:g} s) ...", flush=True)
        without_after = load.run_load(port, [(args.clients, pick)], args.seconds).summary()
        baseline_p99 = (without["p99_ms"] + without_after["p99_ms"]) / 2
        delays, missing = [], 0
        for title, started in sent.items():
            got = arrivals.get(title, [])
            missing += args.streams - len(got)
            delays += [(t - started) * 1000 for t in got]
        if missing:
            failures.append(f"{missing} probe deliveries missing")

        result = {
            "n": args.n,
            "streams": args.streams,
            "clients": args.clients,
            "mixed_without_streams": without,
            "mixed_with_streams": with_streams,
            "mixed_without_streams_after": without_after,
            "p99_change_percent": (with_streams["p99_ms"] / baseline_p99 - 1) * 100,
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

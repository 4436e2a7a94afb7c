"""Load and soak run: gunicorn on PostgreSQL under mixed traffic, then checks.

    backend/.venv/bin/python loadtest/run.py --users 20 --duration 45s

It creates a database of its own (the DATABASE_URL database name + "_load"),
starts the fake LLM (slow, failing 5% of the time) and gunicorn, runs Locust
headless for the given time while sampling every worker's memory, and then
checks that nothing was lost: no 5xx, every 201 in the database with the
content sent, every acknowledged PATCH applied, stats equal to counts taken
with SQL, and worker memory flat. It prints the figures and exits non-zero if
a check fails. Everything it started is stopped, and its database dropped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
sys.path.insert(0, str(BACKEND))

from devtools.db import database_name, drop_database, recreate_database  # noqa: E402
from devtools.live import Gunicorn, free_port, http  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/tickets"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", default="45s", help="Locust run time, e.g. 45s, 10m")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--llm-delay", type=float, default=0.3)
    parser.add_argument("--llm-fail-rate", type=float, default=0.05)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--recycle-workers",
        action="store_true",
        help="keep gunicorn.conf.py's worker recycling (off by default, so leaks would show)",
    )
    parser.add_argument(
        "--without-plain-list",
        action="store_true",
        help="browse only with paging parameters (the plain array returns the whole table)",
    )
    parser.add_argument(
        "--hup-every",
        type=float,
        default=0,
        help="send SIGHUP to gunicorn's master every this many seconds (a rolling restart of the workers)",
    )
    parser.add_argument(
        "--pgbouncer",
        action="store_true",
        help="serve the API through a PgBouncer of its own in transaction pooling mode",
    )
    return parser.parse_args()


class Restarter(threading.Thread):
    """SIGHUP to gunicorn's master every `interval` seconds: new workers start,
    the old ones finish their requests and exit."""

    def __init__(self, master_pid: int, interval: float):
        super().__init__(daemon=True)
        self.master_pid, self.interval = master_pid, interval
        self.stop = threading.Event()
        self.count = 0

    def run(self):
        while not self.stop.wait(self.interval):
            os.kill(self.master_pid, signal.SIGHUP)
            self.count += 1


class MemorySampler(threading.Thread):
    """Resident memory of every gunicorn worker, every `interval` seconds."""

    def __init__(self, master_pid: int, interval: float = 2.0):
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.interval = interval
        self.samples: list[tuple[float, int, int]] = []  # (seconds, workers, total RSS bytes)
        self.stop = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.stop.wait(self.interval):
            try:
                workers = self.master.children()
                rss = sum(worker.memory_info().rss for worker in workers)
            except psutil.Error:
                continue
            self.samples.append((time.monotonic() - started, len(workers), rss))


def read_locust_stats(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return rows


def verify_database(db_url: str, record_path: Path) -> dict:
    created, last_patch = {}, {}
    for line in record_path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["kind"] == "create":
            created[entry["id"]] = entry
        else:
            last_patch.setdefault(entry["id"], {}).update(
                {k: v for k, v in entry.items() if k not in ("kind", "id")}
            )
    conn = psycopg2.connect(db_url)
    with conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, title, description, category, priority, status FROM tickets_ticket WHERE id = ANY(%s)",
            (list(created),),
        )
        rows = {
            row[0]: dict(
                zip(("id", "title", "description", "category", "priority", "status"), row, strict=True)
            )
            for row in cur.fetchall()
        }
        cur.execute("SELECT count(*), count(*) FILTER (WHERE status = 'open') FROM tickets_ticket")
        total, open_count = cur.fetchone()
        cur.execute("SELECT priority, count(*) FROM tickets_ticket GROUP BY priority")
        by_priority = dict(cur.fetchall())
        cur.execute("SELECT category, count(*) FROM tickets_ticket GROUP BY category")
        by_category = dict(cur.fetchall())
    conn.close()

    lost, wrong = [], []
    for ticket_id, sent in created.items():
        row = rows.get(ticket_id)
        if row is None:
            lost.append(ticket_id)
            continue
        expected = {
            **{k: sent[k] for k in ("title", "description", "category", "priority")},
            "status": "open",
        }
        expected.update(last_patch.get(ticket_id, {}))
        if any(row[k] != v for k, v in expected.items()):
            wrong.append((ticket_id, expected, row))
    return {
        "created": len(created),
        "patched": len(last_patch),
        "lost": lost,
        "wrong": wrong,
        "sql": {
            "total_tickets": total,
            "open_tickets": open_count,
            "priority_breakdown": by_priority,
            "category_breakdown": by_category,
        },
    }


def stats_match(api_stats: dict, sql: dict) -> bool:
    return (
        api_stats["total_tickets"] == sql["total_tickets"]
        and api_stats["open_tickets"] == sql["open_tickets"]
        and all(
            api_stats["priority_breakdown"][k] == sql["priority_breakdown"].get(k, 0)
            for k in api_stats["priority_breakdown"]
        )
        and all(
            api_stats["category_breakdown"][k] == sql["category_breakdown"].get(k, 0)
            for k in api_stats["category_breakdown"]
        )
    )


def pgbouncer_figures(pgbouncer, db_name: str) -> str:
    stats = next((row for row in pgbouncer.show("stats") if row["database"] == db_name), {})
    servers = [row for row in pgbouncer.show("servers") if row["database"] == db_name]
    return (
        f"{stats.get('total_xact_count', 0)} transactions over {len(servers)} server connections, "
        f"average wait for a connection {stats.get('avg_wait_time', 0) / 1000:.1f} ms"
    )


def memory_verdict(samples) -> tuple[bool, str]:
    """Flat enough: after the first quarter (warm-up), the last quarter's median
    is within 50% (+32 MiB) of the second quarter's."""
    if len(samples) < 8:
        return True, "too few samples to judge"
    rss = [total for _, _, total in samples]
    quarter = len(rss) // 4
    warm, late = statistics.median(rss[quarter : 2 * quarter]), statistics.median(rss[-quarter:])
    mib = 1024 * 1024
    ok = late <= warm * 1.5 + 32 * mib
    return ok, (
        f"workers' RSS {rss[0] / mib:.0f} MiB at start, {warm / mib:.0f} MiB after warm-up, "
        f"{late / mib:.0f} MiB at the end ({(late - warm) / warm:+.0%}), peak {max(rss) / mib:.0f} MiB "
        f"({len(rss)} samples)"
    )


def main() -> int:
    args = parse_args()
    if args.pgbouncer:
        os.environ["LIVE_THROUGH_PGBOUNCER"] = "1"
    db_name = (database_name(args.database_url) or "tickets") + "_load"
    workdir = Path(tempfile.mkdtemp(prefix="loadtest-"))
    record_path = workdir / "record.jsonl"
    record_path.touch()
    db_url = recreate_database(args.database_url, db_name)
    env = {**os.environ, "DATABASE_URL": db_url}
    fake_llm = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=BACKEND,
            env=env,
            check=True,
            capture_output=True,
        )
        llm_port = free_port()
        fake_llm = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devtools.fake_llm",
                "--port",
                str(llm_port),
                "--delay",
                str(args.llm_delay),
                "--fail-rate",
                str(args.llm_fail_rate),
            ],
            cwd=BACKEND,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server_env = {
            "DATABASE_URL": db_url,
            # The brief's API: the simulated clients do not sign in.
            "API_AUTH": "open",
            "OPENAI_API_KEY": "sk-load-test-key",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
            "OPENAI_TIMEOUT": "5",
            # Every simulated client comes from 127.0.0.1: lift the per-client
            # throttle so that classify really reaches the (slow, failing) LLM.
            "CLASSIFY_RATE": "1000000/minute",
            "TICKET_WRITE_RATE": "1000000/minute",
            # The run measures the API under load, not the bill's ceilings.
            "CLASSIFY_DAILY_LIMIT": "0",
            "CLASSIFY_MAX_IN_FLIGHT": "16",
            "LOG_LEVEL": "WARNING",
            # Production recycles workers every ~2000 requests, which would hide
            # a leak; the soak keeps them for the whole run unless asked.
            **({} if args.recycle_workers else {"GUNICORN_MAX_REQUESTS": "100000000"}),
        }
        with Gunicorn(server_env, workers=args.workers, threads=args.threads) as server:
            sampler = MemorySampler(server.process.pid)
            sampler.start()
            restarts = Restarter(server.process.pid, args.hup_every)
            if args.hup_every:
                restarts.start()
            started = time.monotonic()
            locust = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    args.duration,
                    "--host",
                    server.url,
                    "--only-summary",
                    "--csv",
                    str(workdir / "locust"),
                    "--exit-code-on-error",
                    "0",
                    "--stop-timeout",
                    "10",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOAD_RECORD": str(record_path),
                    "LOAD_PLAIN_LIST": "0" if args.without_plain_list else "1",
                },
                capture_output=True,
                text=True,
            )
            elapsed = time.monotonic() - started
            restarts.stop.set()
            sampler.stop.set()
            sampler.join()
            status, _, body = http("GET", f"{server.url}/api/tickets/stats/", timeout=120)
            api_stats = json.loads(body)
            pooler = pgbouncer_figures(server.pgbouncer, db_name) if server.pgbouncer else None
        log = server.log()
    finally:
        if fake_llm:
            fake_llm.terminate()
            fake_llm.wait(timeout=10)

    if locust.returncode != 0:
        print(locust.stdout[-3000:], locust.stderr[-3000:])
        print("locust failed")
        if not args.keep_database:
            drop_database(args.database_url, db_name)
        shutil.rmtree(workdir, ignore_errors=True)
        return 1
    rows = read_locust_stats(workdir / "locust")
    total = rows["Aggregated"]
    statuses = json.loads((record_path.parent / (record_path.name + ".statuses.json")).read_text())
    check = verify_database(db_url, record_path)
    if not args.keep_database:
        drop_database(args.database_url, db_name)
    shutil.rmtree(workdir, ignore_errors=True)
    memory_ok, memory_text = memory_verdict(sampler.samples)
    if args.hup_every:  # workers are replaced during the run: their memory says nothing about leaks
        memory_ok, memory_text = True, "not judged (workers replaced by the restarts)"
    server_errors = statuses.get("5xx", 0)
    failures = int(total["Failure Count"])
    stats_ok = status == 200 and stats_match(api_stats, check["sql"])

    print(
        f"\nload: {args.users} clients for {args.duration} ({elapsed:.0f}s)"
        f"{', paged lists only' if args.without_plain_list else ''} against gunicorn "
        f"{args.workers} workers x {args.threads} threads on PostgreSQL"
        f"{' through PgBouncer' if args.pgbouncer else ''}; fake LLM delay {args.llm_delay}s, "
        f"fails {args.llm_fail_rate:.0%}"
    )
    print(
        f"{'endpoint':<18}{'requests':>10}{'failures':>10}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}"
    )
    for name, row in rows.items():
        print(
            f"{name:<18}{row['Request Count']:>10}{row['Failure Count']:>10}{row['50%']:>11}"
            f"{row['95%']:>9}{row['99%']:>9}{float(row['Requests/s']):>9.1f}"
        )
    print(
        f"statuses of every answer, those finished while stopping included: {json.dumps({k: v for k, v in sorted(statuses.items()) if 'xx' in k or k == 'no answer'})}"
    )
    print(f"errors: {failures} failed requests, {server_errors} 5xx")
    print(
        f"rows: {check['created']} created, {check['patched']} patched; lost {len(check['lost'])}, "
        f"wrong content {len(check['wrong'])}"
    )
    print(
        f"stats vs SQL: {'equal' if stats_ok else 'DIFFERENT'} (total {api_stats.get('total_tickets')}, "
        f"SQL {check['sql']['total_tickets']})"
    )
    if pooler:
        print(f"pgbouncer (transaction pooling): {pooler}")
    if args.hup_every:
        print(f"rolling restarts: {restarts.count} x SIGHUP to the master during the run")
    print(f"memory: {memory_text}: {'within bounds' if memory_ok else 'GROWING'}")

    problems = []
    if server_errors or failures:
        problems.append(f"{failures} failed requests ({server_errors} 5xx)")
    if check["lost"] or check["wrong"]:
        problems.append(f"rows lost {check['lost'][:10]} or wrong {check['wrong'][:3]}")
    if not stats_ok:
        problems.append(f"stats {api_stats} != SQL {check['sql']}")
    if not memory_ok:
        problems.append("worker memory kept growing")
    if "Traceback" in log:
        problems.append("gunicorn logged a traceback:\n" + log[-3000:])
    if not check["created"]:
        problems.append("no ticket was created")
    for problem in problems:
        print(f"FAILED: {problem}")
    print("load run passed" if not problems else "load run failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

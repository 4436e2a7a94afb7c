"""python -m bench.migrations --n 1000000 [--old-ref REF]

Migrations under load. A database is built by the code of OLD_REF (its
migrations, e.g. up to tickets 0004), seeded with N tickets, and served by
that old code with gunicorn while a mixed read/write load runs; then this
checkout's `manage.py migrate` applies every later migration. It reports the
failed requests (during and after the migration: the old code must keep
working on the new schema until it is replaced), how long the migration took,
and the longest lock waits, sampled from pg_locks.waitstart every 50 ms.

OLD_REF defaults to the newest first-parent ancestor of HEAD whose migrations
are all already in the base (its tickets migrations end at --base and it adds
no other app's migrations): on a branch that adds migrations, the commit
before them. Results: bench/results/migrations-N-*.json and *.md.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from devtools.db import drop_database, recreate_database, with_database
from devtools.live import stop_process

from . import load, seed
from .__main__ import RESULTS, ROOT, default_server, free_port, wait_for

MIGRATION = re.compile(r"^backend/([^/]+)/migrations/(\d{4}_[^/]+)\.py$")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


def migrations_at(ref: str | None) -> set[tuple[str, str]]:
    """The migrations of a commit, or of the working tree when ref is None."""
    if ref is None:
        names = [str(path.relative_to(ROOT)) for path in (ROOT / "backend").glob("*/migrations/[0-9]*.py")]
    else:
        names = git("ls-tree", "-r", "--name-only", ref, "backend/").splitlines()
    return {match.groups() for name in names if (match := MIGRATION.match(name))}


def default_old_ref(base: str) -> str:
    """The newest first-parent ancestor with no migration past `base`."""
    app, _, last = base.partition(":")
    for commit in git("rev-list", "--first-parent", "--max-count=400", "HEAD").split():
        found = migrations_at(commit)
        if all(a == app and name <= last for a, name in found) and (app, last) in found:
            return commit
    raise SystemExit(f"no ancestor of HEAD has {base} as its last migration; pass --old-ref")


class LockWatch(threading.Thread):
    """The longest wait for a lock seen, for the API's sessions and for the migration's."""

    def __init__(self, url: str, interval: float = 0.05):
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.stop = threading.Event()
        self.longest = {"api": (0.0, ""), "migrate": (0.0, "")}
        self.samples = 0

    def run(self):
        conn = psycopg2.connect(self.url, application_name="lockwatch")
        conn.autocommit = True
        with conn.cursor() as cur:
            while not self.stop.wait(self.interval):
                cur.execute(
                    """
                    SELECT a.application_name, extract(epoch FROM now() - l.waitstart),
                           left(a.query, 160), l.mode, l.relation::regclass::text,
                           pg_blocking_pids(a.pid)
                    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE NOT l.granted AND l.waitstart IS NOT NULL AND a.datname = current_database()
                    """
                )
                self.samples += 1
                for who, seconds, query, mode, relation, blockers in cur.fetchall():
                    side = "migrate" if who == "migrate" else "api"
                    if seconds and seconds > self.longest[side][0]:
                        self.longest[side] = (
                            float(seconds),
                            f"{mode} on {relation or 'a row/transaction'} for: {query} (blocked by {blockers})",
                        )
        conn.close()


def pick(ids):
    def choose(rng):
        roll = rng.random()
        if roll < 0.3:
            return "first page", "GET", "/api/tickets/?page_size=50", None
        if roll < 0.45:
            return "filtered page", "GET", "/api/tickets/?page_size=50&status=open&priority=high", None
        if roll < 0.55:
            return "search", "GET", f"/api/tickets/?page_size=50&search={seed.RARE_WORD}", None
        if roll < 0.65:
            return "stats", "GET", "/api/tickets/stats/", None
        if roll < 0.75:
            return "retrieve", "GET", f"/api/tickets/{rng.choice(ids)}/", None
        if roll < 0.88:
            body = {
                "title": "Under migration",
                "description": "Created while migrating.",
                "category": "account",
                "priority": "high",
            }
            return "create", "POST", "/api/tickets/", json.dumps(body).encode()
        status = rng.choice(["open", "in_progress", "resolved", "closed"])
        return "patch", "PATCH", f"/api/tickets/{rng.choice(ids)}/", json.dumps({"status": status}).encode()

    return choose


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.migrations", description=__doc__.splitlines()[2])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--server", default=default_server())
    parser.add_argument("--database", help="default tickets_migrations_N; dropped and recreated")
    parser.add_argument(
        "--base", default="tickets:0004_ticket_tally", help="app:migration the old code ends at"
    )
    parser.add_argument("--old-ref", help="the git commit whose code builds and serves the database first")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--before-seconds", type=float, default=10, help="load before migrating")
    parser.add_argument("--after-seconds", type=float, default=10, help="load after migrating")
    parser.add_argument("--lock-limit", type=float, default=2.0, help="longest acceptable lock wait, seconds")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)

    old_ref = args.old_ref or default_old_ref(args.base)
    new_ref = git("rev-parse", "HEAD").strip()
    added = sorted(migrations_at(None) - migrations_at(old_ref))
    name = args.database or f"tickets_migrations_{args.n}"
    url = with_database(args.server, name)
    print(
        f"old code {old_ref[:10]}, new code {new_ref[:10]} (+ uncommitted changes); migrations to apply: "
        f"{', '.join(f'{a}.{m}' for a, m in added) or 'none'}",
        flush=True,
    )

    old_tree = Path(tempfile.mkdtemp(prefix="old-code-"))
    archive = subprocess.run(
        ["git", "archive", old_ref, "backend"], cwd=ROOT, check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(old_tree)], input=archive.stdout, check=True)
    old_backend = old_tree / "backend"
    procs, failures = [], []
    try:
        recreate_database(args.server, name)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=old_backend,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
        seeding = seed.seed(url, args.n, progress=print)
        print(f"  seeded {args.n:,} tickets in {seeding['total_seconds']:.0f} s", flush=True)
        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM tickets_ticket ORDER BY random() LIMIT 500")
            ids = [row[0] for row in cur.fetchall()]

        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The open API (code that predates sign-in ignores it) with no write throttle:
            # every simulated client is 127.0.0.1.
            "API_AUTH": "open",
            "TICKET_WRITE_RATE": "1000000/minute",
            "LOG_LEVEL": "WARNING",
            "PGAPPNAME": "api",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PYTHONWARNINGS": "ignore:No directory at",
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "gunicorn.conf.py",
                "--log-level",
                "warning",
                "config.wsgi:application",
            ],
            cwd=old_backend,
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        procs.append(server)
        wait_for(port, "/api/tickets/stats/")

        watch = LockWatch(url)
        watch.start()
        stop = threading.Event()
        outcome = {}
        loader = threading.Thread(
            target=lambda: outcome.update(
                result=load.run_load(port, [(args.clients, pick(ids))], 24 * 3600, stop)
            )
        )
        loader.start()
        time.sleep(args.before_seconds)
        print("  migrating under load ...", flush=True)
        started = time.perf_counter()
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT / "backend",
            env={**os.environ, "DATABASE_URL": url, "PGAPPNAME": "migrate"},
            capture_output=True,
            text=True,
        )
        migrate_seconds = time.perf_counter() - started
        time.sleep(args.after_seconds)
        stop.set()
        loader.join()
        watch.stop.set()
        watch.join()
        result = outcome["result"]
        if migrated.returncode != 0:
            failures.append(f"migrate failed: {migrated.stderr[-2000:]}")
        summary = result.summary()
        if summary["errors"]:
            failures.append(f"{summary['errors']} failed requests {result.error_causes}")
        for side, (seconds, what) in watch.longest.items():
            if seconds > args.lock_limit:
                failures.append(f"{side} waited {seconds:.2f} s for a lock: {what}")

        report = {
            "n": args.n,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "old_ref": old_ref,
            "new_ref": new_ref,
            "migrations_applied": [f"{a}.{m}" for a, m in added],
            "migrate_seconds": migrate_seconds,
            "migrate_output": migrated.stdout[-4000:],
            "load": {**summary, "by_kind": result.by_kind(), "error_causes": result.error_causes},
            "longest_lock_wait": {side: {"seconds": s, "what": w} for side, (s, w) in watch.longest.items()},
            "lock_samples": watch.samples,
            "seeding": seeding,
            "failures": failures,
        }
        lines = [
            f"## Migrations under load, N = {args.n:,} ({report['when']})",
            "",
            f"Old code {old_ref[:10]} served the load; `migrate` of {new_ref[:10]} applied "
            f"{', '.join(report['migrations_applied']) or 'no migration'} in {migrate_seconds:.1f} s.",
            "",
            "| requests | req/s | p50 ms | p99 ms | failed | longest lock wait, API | longest lock wait, migrate |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {summary['requests']} | {summary['requests_per_second']:.0f} | {summary['p50_ms']:.1f} | "
            f"{summary['p99_ms']:.1f} | {summary['errors']} | {watch.longest['api'][0]:.2f} s | "
            f"{watch.longest['migrate'][0]:.2f} s |",
            "",
        ]
        for side, (seconds, what) in watch.longest.items():
            if what:
                lines.append(f"- longest {side} wait ({seconds:.2f} s): {what}")
        markdown = "\n".join(lines)
        RESULTS.mkdir(exist_ok=True)
        stem = RESULTS / f"migrations-{args.n}-{time.strftime('%Y%m%d-%H%M%S')}"
        stem.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str))
        stem.with_suffix(".md").write_text(markdown + "\n")
        print(markdown)
        print(f"written: {stem}.json and .md")
        conn.close()
    finally:
        for proc in procs:
            stop_process(proc, timeout=30)
        shutil.rmtree(old_tree, ignore_errors=True)
        if not args.keep_database:
            drop_database(args.server, name)
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("migrations under load: no failed request, no lock wait over the limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m bench --n 1000000 [--explain] [--smoke]

Fresh database, migrate, seed, gunicorn on a free loopback port, then every case
timed warm next to its raw SQL, the streamed list and its worker memory, the
serializer against the fast path, and a mixed concurrent load with and without
classify calls waiting on a slow fake LLM. Results: bench/results/*.json and *.md.
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg2

from devtools.db import drop_database, recreate_database, with_database
from devtools.live import free_port, stop_process

from . import cases as cases_module
from . import load, report, seed
from . import overhead as vs_floor

ROOT = Path(__file__).resolve().parent.parent
BACKEND = ROOT / "backend"
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_PASSWORD = "bench agent passphrase 2024"


def default_server() -> str:
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgres://", "postgresql://")):
            return value
    return DEFAULT_SERVER


def wait_for(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            client = load.Client(port)
            status, _ = client.request("GET", path)
            client.close()
            if status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path}")


def gunicorn_command(port: int, app: str = "config.wsgi:application") -> tuple[list[str], str]:
    exe = str(Path(sys.executable).with_name("gunicorn"))
    extra = ["--pythonpath", str(ROOT)] if app.startswith("bench.") else []
    return [
        exe,
        "-c",
        "gunicorn.conf.py",
        "--log-level",
        "warning",
        *extra,
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ], "gunicorn -c gunicorn.conf.py"


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Context:
    def __init__(self, conn, n: int):
        with conn.cursor() as cur:
            self.deep_offset = max(0, int(n * 0.9) - 1)
            cur.execute(
                "SELECT created_at, id FROM tickets_ticket ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET %s",
                [self.deep_offset],
            )
            self.deep_position = cur.fetchone()
            self.ordering_positions = cases_module.ordering_positions(cur, n)
            cur.execute("SELECT id FROM tickets_ticket ORDER BY random() LIMIT 1000")
            self.ids = [row[0] for row in cur.fetchall()]
            cur.execute("SELECT id FROM tickets_ticket ORDER BY id LIMIT 1 OFFSET %s", [n // 2])
            self.middle_id = cur.fetchone()[0]
            # A ticket with comments and history, as seeded (not one the bench patches).
            self.page_ticket = self.ids[1]
        self.rng = random.Random(7)
        self.patch_id = self.ids[0]
        self.patch_count = 0
        self.create_count = 0
        # Set by sign_in: the bench agent and the headers of each kind of credentials.
        self.agent_id = None
        self.auth_headers: dict[str, dict] = {}

    def some_id(self) -> int:
        return self.rng.choice(self.ids)


def start_floor(port: int, env: dict) -> subprocess.Popen:
    """The floor app (bench/floor.py) under the API's gunicorn settings."""
    command, _ = gunicorn_command(port, "bench.floor:application")
    proc = subprocess.Popen(
        command,
        cwd=BACKEND,
        env={**env, "PGAPPNAME": "bench-floor"},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(port, "/api/tickets/?page_size=1")
    return proc


def api_env(url: str, llm_port: int, llm_delay: float) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Open, as the brief's API; a token or session sent is still
        # checked, which is what the authenticated cases time.
        "API_AUTH": "open",
        "LOG_LEVEL": "WARNING",
        # libpq's application_name, which tells the servers' sessions apart.
        "PGAPPNAME": "bench-api",
        "OPENAI_API_KEY": "sk-bench-fake",
        "OPENAI_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",
        "OPENAI_TIMEOUT": str(max(10.0, llm_delay * 3)),
        "CLASSIFY_RATE": "1000000/minute",
        # Every client is 127.0.0.1, and the run measures the API, not the bill's ceilings.
        "TICKET_WRITE_RATE": "1000000/minute",
        "CLASSIFY_DAILY_LIMIT": "0",
        # The API serves no static files; WhiteNoise's note about that is noise here.
        "PYTHONWARNINGS": "ignore:No directory at",
    }


def against_floor(port: int, env: dict, ctx, args, procs: list, failures: list) -> list[dict]:
    """The API (API_AUTH=open, then required with a token and with a session)
    against the floor app, each request measured on both in turn."""
    print("  the API against the floor (bench/floor.py) ...", flush=True)
    floor_port = free_port()
    floor = start_floor(floor_port, env)
    procs.append(floor)
    options = {
        "seconds": args.overhead_seconds,
        "rounds": args.overhead_rounds,
        "repeat": args.repeat if args.smoke else max(args.repeat, 100),
        "failures": failures,
    }
    rows = vs_floor.measure(port, floor_port, ctx.middle_id, **options)
    if not ctx.auth_headers:
        return rows
    # Three servers of 5 workers x 8 threads could hold 120 connections, past
    # PostgreSQL's default 100: the open API's idle ones are closed (it
    # reconnects when next used), and the extra servers stop when done.
    release_idle_connections(env["DATABASE_URL"], "bench-api")
    required_port = free_port()
    command, _ = gunicorn_command(required_port)
    required = subprocess.Popen(
        command,
        cwd=BACKEND,
        env={**env, "API_AUTH": "required", "PGAPPNAME": "bench-api-required"},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    procs += [required]
    wait_for(required_port, "/api/tickets/stats/")
    for kind in ("token", "session"):
        rows += vs_floor.measure(
            required_port,
            floor_port,
            ctx.middle_id,
            label=f"API_AUTH=required, {kind}",
            headers=ctx.auth_headers[kind],
            **options,
        )
    for proc in (required, floor):
        stop_process(proc, timeout=30)
    return rows


def release_idle_connections(url: str, application: str) -> None:
    """End the idle sessions of one server (by its application_name)."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state = 'idle' AND application_name = %s",
            [application],
        )
    conn.close()


def overhead_only(args, url: str) -> int:
    """The floor case alone, on a database seeded (and migrated) by an earlier run."""
    failures: list[str] = []
    port = free_port()
    env = api_env(url, free_port(), args.llm_delay)
    procs = []
    try:
        command, _ = gunicorn_command(port)
        procs.append(
            subprocess.Popen(command, cwd=BACKEND, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
        )
        wait_for(port, "/api/tickets/stats/")
        conn = psycopg2.connect(url)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM tickets_ticket")
            ctx = Context(conn, cur.fetchone()[0])
            cur.execute("SELECT count(*) FROM auth_user WHERE username = 'bench-agent'")
            known_agent = cur.fetchone()[0] > 0
        sign_in(port, url, conn, ctx, new_agent=not known_agent)
        conn.close()
        print(report.overhead_table(against_floor(port, env, ctx, args, procs, failures)))
    finally:
        for proc in reversed(procs):
            stop_process(proc, timeout=30)
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


def run_sql(conn, sql: str, params: list | dict):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def time_cases(port, conn, serial_conn, ctx, repeat, failures, scan_repeat=5) -> list[dict]:
    client = load.Client(port)
    rows = []
    for case in cases_module.build_cases(ctx) + cases_module.ordering_cases(ctx):
        runs = min(repeat, scan_repeat) if case.scan else repeat

        def call(case=case):
            body = case.body() if case.body else None
            return client.request(case.method, case.path(), body, ctx.auth_headers.get(case.auth))

        api_ms, (status, payload) = load.timed(call, runs, warmup=1 if case.scan else 2)
        sql, params = case.raw_sql()
        raw_conn = serial_conn if case.serial else conn
        raw_ms, _ = load.timed(
            lambda conn=raw_conn, sql=sql, params=params: run_sql(conn, sql, params),
            min(runs, case.raw_repeat or runs),
            warmup=0 if case.raw_repeat else (1 if case.scan else 2),
        )
        stopped = case.scan and status == 503 and b"took longer than" in payload
        # Offsets past the deepest one the API pages to (10,000) are refused, as designed.
        refused = case.scan and status == 400 and b"Page deeper with keyset pages" in payload
        if stopped or refused:
            pass  # bounded by DB_STATEMENT_TIMEOUT or refused past the deepest offset, as intended
        elif status >= 400:
            failures.append(f"{case.name}: HTTP {status} {payload[:200]!r}")
        elif case.compare_ids:
            api_ids = [item["id"] for item in json.loads(payload)["results"]]
            raw_ids = [row[0] for row in run_sql(conn, sql, params)][:50]
            if api_ids != raw_ids:
                failures.append(f"{case.name}: the endpoint and the raw SQL disagree")
        api, raw = load.describe(api_ms), load.describe(raw_ms)
        rows.append(
            {
                "case": case.name,
                "goal": case.goal,
                "api": api,
                "raw_sql": raw,
                "ratio": api["median_ms"] / raw["median_ms"] if raw["median_ms"] else None,
                "raw_note": case.raw_note,
                "sql": sql,
                "params": [str(p) for p in params],
                "list_params": case.list_params,
                "stopped_by_statement_timeout": stopped,
                "refused_past_deepest_offset": refused,
            }
        )
        print(
            f"  {case.name:50s} api {api['median_ms']:8.2f} ms   sql {raw['median_ms']:8.2f} ms"
            + ("   (503: stopped at DB_STATEMENT_TIMEOUT)" if stopped else "")
            + ("   (400: past the deepest offset, keyset pages instead)" if refused else ""),
            flush=True,
        )
    client.close()
    return rows


def check_stats(port, conn, failures) -> None:
    client = load.Client(port)
    before = datetime.now(UTC)
    _, payload = client.request("GET", "/api/tickets/stats/")
    after = datetime.now(UTC)
    client.close()
    body = json.loads(payload)
    # The median and the daily counts against the same figures computed from
    # the history; the API read its clock between `before` and `after`, so one
    # of the two must agree (they differ only if a resolution crossed the
    # 30-day edge in between).
    got = (body["median_hours_to_resolve"], body["daily"])
    expected = [
        tuple(run_sql(conn, cases_module.STATS_FROM_HISTORY_SQL, {"now": moment})[0])
        for moment in (before, after)
    ]
    if got not in expected:
        failures.append(
            f"stats: median/daily {got[0]} {got[1][-3:]} but the history gives {expected[0][0]} "
            f"{(expected[0][1] or [])[-3:]}"
        )
    raw = run_sql(conn, cases_module.stats_scan_sql(), [])[0]
    expected = [raw[0], raw[1], *raw[3:7], *raw[7:11]]
    got = [
        body["total_tickets"],
        body["open_tickets"],
        *body["priority_breakdown"].values(),
        *body["category_breakdown"].values(),
    ]
    if got != expected:
        failures.append(f"stats: endpoint {got} but a full count gives {expected}")


def time_unpaginated(port, conn, master, repeat, smoke, failures) -> dict:
    before = {pid: peak_rss_mb(pid) for pid in worker_pids(master)}
    client = load.Client(port)
    samples, first_bytes, size = [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status, size, head, tail = client.stream("/api/tickets/")
        samples.append((time.perf_counter() - started) * 1000)
        first_bytes.append(client.first_byte_ms)
        if status != 200 or not head.startswith(b"[") or not tail.endswith(b"]"):
            failures.append(f"unpaginated list: HTTP {status}, not a JSON array")
    if smoke:
        _, payload = client.request("GET", "/api/tickets/")
        api_ids = [item["id"] for item in json.loads(payload)]
        raw_ids = [row[0] for row in run_sql(conn, f"SELECT id FROM tickets_ticket {cases_module.ORDER}", [])]
        if api_ids != raw_ids:
            failures.append("unpaginated list: ids differ from the raw SQL")
    client.close()
    after = {pid: peak_rss_mb(pid) for pid in worker_pids(master)}

    def raw_stream():
        with conn.cursor(name="bench_all") as cur:
            cur.itersize = 2000
            cur.execute(f"SELECT {cases_module.COLUMNS} FROM tickets_ticket {cases_module.ORDER}")
            count = sum(1 for _ in cur)
        conn.commit()
        return count

    raw_samples, _ = load.timed(raw_stream, repeat, warmup=0)
    return {
        "api": load.describe(samples),
        "first_byte_ms": first_bytes,
        "raw_sql": load.describe(raw_samples),
        "bytes": size,
        "worker_peak_rss_mb_before": max(before.values(), default=None),
        "worker_peak_rss_mb_after": max(after.values(), default=None),
    }


def time_queue(port, conn, master, ctx, failures) -> dict:
    """The export of every ticket (CSV and JSON lines: rows/s and the workers'
    peak memory before and after)."""
    result = {}
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM tickets_ticket")
        total = cur.fetchone()[0]
    for fmt in ("csv", "jsonl"):
        before = {pid: peak_rss_mb(pid) for pid in worker_pids(master)}
        client = load.Client(port)
        started = time.perf_counter()
        status, size, head, tail = client.stream(f"/api/tickets/export/?format={fmt}")
        seconds = time.perf_counter() - started
        client.close()
        after = {pid: peak_rss_mb(pid) for pid in worker_pids(master)}
        if status != 200:
            failures.append(f"export {fmt}: HTTP {status}")
        result[f"export_{fmt}"] = {
            "rows": total,
            "seconds": seconds,
            "rows_per_second": total / seconds if seconds else None,
            "bytes": size,
            "worker_peak_rss_mb_before": max(before.values(), default=None),
            "worker_peak_rss_mb_after": max(after.values(), default=None),
        }
        print(f"  export {fmt}: {total:,} rows in {seconds:.1f} s", flush=True)
    return result


# Which 10,000 tickets a bulk change covers: the newest (a filter over recent
# tickets; their rows sit together) and 10,000 spread over the whole table
# (every row on its own page: the most index and heap work per ticket).
BULK_CASES = (
    ("newest", "SELECT id FROM tickets_ticket ORDER BY id DESC LIMIT 10000"),
    ("spread", "SELECT id FROM tickets_ticket ORDER BY random() LIMIT 10000"),
)


def lock_blockers(conn) -> set[str]:
    """The sessions that hold a lock another session of this database waits for."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT b.application_name || ' ' || b.state || ': ' || left(b.query, 120) "
            "FROM pg_stat_activity w JOIN pg_stat_activity b ON b.pid = ANY(pg_blocking_pids(w.pid)) "
            "WHERE w.datname = current_database()"
        )
        return {row[0] for row in cur.fetchall()}


def time_bulk(port, conn, ctx, failures) -> dict:
    """One bulk change of 10,000 tickets per case, with their history. Run last:
    the changed labels would skew the cases measured after it."""
    result = {}
    for case, query in BULK_CASES:
        with conn.cursor() as cur:
            cur.execute(query)
            ids = [row[0] for row in cur.fetchall()]
            cur.execute("SELECT count(*) FROM history_ticketchange")
            entries_before = cur.fetchone()[0]
        client = load.Client(port)
        answer = {}

        def send(client=client, ids=ids, answer=answer):
            answer["status"], answer["payload"] = client.request(
                "POST",
                "/api/tickets/bulk/",
                {"ids": ids, "set": {"priority": "critical", "assignee": ctx.agent_id}},
                headers=ctx.auth_headers.get("token"),
            )

        started = time.perf_counter()
        request = threading.Thread(target=send)
        request.start()
        blockers = set()
        while request.is_alive():  # what the bulk change waits for, if anything
            blockers |= lock_blockers(conn)
            request.join(0.5)
        seconds = time.perf_counter() - started
        status, payload = answer["status"], answer["payload"]
        client.close()
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM history_ticketchange")
            entries = cur.fetchone()[0] - entries_before
        if status != 200:
            waited = f"; it waited on {sorted(blockers)}" if blockers else ""
            failures.append(f"bulk {case}: HTTP {status} {payload[:200]!r}{waited}")
        result[case] = {
            "seconds": seconds,
            "history_entries": entries,
            "status": status,
            "lock_blockers": sorted(blockers),
        }
        print(f"  bulk ({case}): 10,000 tickets in {seconds:.2f} s, {entries:,} history entries", flush=True)
    return result


def serializer_vs_fast_path(url: str, n: int, failures) -> dict:
    """In this process: TicketSerializer(many=True) against the streamed path, same rows."""
    os.environ.update({"DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": "bench-only-not-secret"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from rest_framework.renderers import JSONRenderer

    from tickets.selectors import ticket_list
    from tickets.serializers import TicketSerializer, ticket_array_chunks

    sample = min(n, 100_000)
    queryset = ticket_list()[:sample]
    renderer = JSONRenderer()
    started = time.perf_counter()
    slow = renderer.render(TicketSerializer(queryset, many=True).data)
    serializer_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = b"".join(ticket_array_chunks(queryset, renderer=renderer))
    fast_s = time.perf_counter() - started
    if slow != fast:
        failures.append("the streamed list's JSON differs from TicketSerializer's")
    return {
        "rows": sample,
        "serializer_s": serializer_s,
        "fast_path_s": fast_s,
        "speedup": serializer_s / fast_s if fast_s else None,
        "identical": slow == fast,
    }


def orm_sql(params: dict) -> tuple[str, list]:
    """The SQL the ORM emits for a first cursor page with these list parameters
    (Django is set up by serializer_vs_fast_path)."""
    from tickets.filters import TicketFilter
    from tickets.selectors import ticket_list
    from tickets.serializers import ticket_rows

    filterset = TicketFilter(params, queryset=ticket_list())
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    sql, sql_params = ticket_rows(filterset.qs)[:51].query.sql_with_params()
    return sql, list(sql_params)


def sign_in(port: int, url: str, conn, ctx, *, new_agent: bool = True) -> None:
    """An agent for the authenticated cases: a token from `manage.py
    create_token`, a session from the API's own sign-in (CSRF token first), and
    1% of the tickets assigned to them."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "API_AUTH": "open",
        "AGENT_PASSWORD": BENCH_PASSWORD,
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    if new_agent:
        subprocess.run(
            [*manage, "createagent", "bench-agent"], cwd=BACKEND, env=env, check=True, capture_output=True
        )
    key = subprocess.run(
        [*manage, "create_token", "bench-agent", "--name", "bench"],
        cwd=BACKEND,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()

    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", "/api/auth/csrf/")
    response = client.getresponse()
    csrf_cookie = SimpleCookie("; ".join(response.headers.get_all("Set-Cookie")))["csrftoken"].value
    csrf = json.loads(response.read())["csrf_token"]
    body = json.dumps({"username": "bench-agent", "password": BENCH_PASSWORD})
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf, "Cookie": f"csrftoken={csrf_cookie}"}
    client.request("POST", "/api/auth/login/", body=body, headers=headers)
    response = client.getresponse()
    signed_in = json.loads(response.read())
    cookies = SimpleCookie()
    for value in response.headers.get_all("Set-Cookie"):
        cookies.load(value)
    client.close()
    ctx.agent_id = signed_in["id"]
    ctx.auth_headers = {
        "token": {"Authorization": f"Token {key}"},
        "session": {
            "Cookie": f"sessionid={cookies['sessionid'].value}; csrftoken={cookies['csrftoken'].value}",
            "X-CSRFToken": signed_in["csrf_token"],
        },
    }
    if new_agent:
        run_sql(conn, "UPDATE tickets_ticket SET assignee_id = %s WHERE id %% 100 = 0", [ctx.agent_id])
        run_sql(conn, "VACUUM ANALYZE tickets_ticket", [])


def auth_overhead(port, ctx, repeat) -> dict:
    """The first page without credentials, with a token and with a session,
    taken in turns so that the machine's other work weighs on all three alike:
    the medians' differences are what each kind of credentials costs."""
    client = load.Client(port)
    kinds = {"open": None, "token": ctx.auth_headers["token"], "session": ctx.auth_headers["session"]}
    samples = {kind: [] for kind in kinds}
    for _ in range(2):
        for headers in kinds.values():
            client.request("GET", "/api/tickets/?page_size=50", headers=headers)
    for _ in range(repeat):
        for kind, headers in kinds.items():
            started = time.perf_counter()
            client.request("GET", "/api/tickets/?page_size=50", headers=headers)
            samples[kind].append((time.perf_counter() - started) * 1000)
    client.close()
    result = {kind: load.describe(ms) for kind, ms in samples.items()}
    for kind in ("token", "session"):
        result[kind]["added_ms"] = result[kind]["median_ms"] - result["open"]["median_ms"]
    return result


def throughput(port, ctx, seconds, clients, classify_clients, failures) -> dict:
    filters = "category=technical&priority=high&status=open"
    reads = [
        (30, "first page", "GET", "/api/tickets/?page_size=50"),
        (15, "filtered page", "GET", f"/api/tickets/?page_size=50&{filters}"),
        (10, "search rare", "GET", f"/api/tickets/?page_size=50&search={seed.RARE_WORD}"),
        (
            5,
            "search common+filter",
            "GET",
            f"/api/tickets/?page_size=50&search={seed.COMMON_WORD}&status=open",
        ),
        (10, "stats", "GET", "/api/tickets/stats/"),
    ]
    weights = [w for w, *_ in reads] + [15, 8, 7]

    def pick(rng):
        choice = rng.choices(range(len(weights)), weights)[0]
        if choice < len(reads):
            _, kind, method, path = reads[choice]
            return kind, method, path, None
        ticket = rng.choice(ctx.ids)
        if choice == len(reads):
            return "retrieve", "GET", f"/api/tickets/{ticket}/", None
        if choice == len(reads) + 1:
            # Labels vary as real traffic's do: a run of identical new tickets
            # would pile one combination on top of the newest-first index.
            body = {
                "title": "Load test ticket",
                "description": "Created under load: printer offline.",
                "category": rng.choice(["billing", "technical", "account", "general"]),
                "priority": rng.choice(["low", "medium", "high", "critical"]),
            }
            return "create", "POST", "/api/tickets/", json.dumps(body).encode()
        status = rng.choice(["open", "in_progress", "resolved", "closed"])
        return "patch", "PATCH", f"/api/tickets/{ticket}/", json.dumps({"status": status}).encode()

    def pick_classify(rng):
        # A new description each time, so that the answer cache never helps.
        text = f"My invoice {rng.random()} was charged twice and the app shows an error"
        return "classify", "POST", "/api/tickets/classify/", json.dumps({"description": text}).encode()

    result = {}
    # Unmeasured: every worker serves each kind of request once (the first
    # classify in a worker builds its LLM client) before the timed phases.
    load.run_load(port, [(clients, pick), (classify_clients, pick_classify)], min(seconds, 5))
    plain = load.run_load(port, [(clients, pick)], seconds)
    result["mixed"] = {
        **plain.summary(),
        "by_kind": plain.by_kind(),
        "clients": clients,
        "error_causes": plain.error_causes,
    }
    with_llm = load.run_load(port, [(clients, pick), (classify_clients, pick_classify)], seconds)
    result["mixed_with_slow_classify"] = {
        **with_llm.summary(exclude=("classify",)),
        "classify": with_llm.by_kind().get("classify"),
        "by_kind": with_llm.by_kind(),
        "clients": clients,
        "classify_clients": classify_clients,
        "error_causes": with_llm.error_causes,
    }
    # The same reads and writes with an agent's credentials on every request.
    for phase, kind in (("mixed_token", "token"), ("mixed_session", "session")):
        signed = load.run_load(port, [(clients, pick, ctx.auth_headers[kind])], seconds)
        result[phase] = {
            **signed.summary(),
            "by_kind": signed.by_kind(),
            "clients": clients,
            "error_causes": signed.error_causes,
        }
    for phase in ("mixed", "mixed_with_slow_classify", "mixed_token", "mixed_session"):
        if result[phase]["errors"]:
            failures.append(
                f"throughput {phase}: {result[phase]['errors']} errors {result[phase]['error_causes']}"
            )
    classify = result["mixed_with_slow_classify"]["classify"] or {}
    if classify.get("errors"):
        failures.append(f"classify under load: {classify['errors']} errors")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="tickets to seed")
    parser.add_argument(
        "--server",
        default=default_server(),
        help="any database URL on the PostgreSQL server to use "
        "(default: BENCH_DATABASE_URL, else a PostgreSQL DATABASE_URL, else local)",
    )
    parser.add_argument("--database", help="database name (default tickets_bench_N); dropped and recreated")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--list-repeat", type=int, default=2, help="timed runs of the unpaginated list")
    parser.add_argument(
        "--scan-repeat", type=int, default=5, help="timed runs of the cases that read the whole table"
    )
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the mixed load")
    parser.add_argument("--classify-clients", type=int, default=4)
    parser.add_argument("--llm-delay", type=float, default=1.0, help="seconds the fake LLM takes to answer")
    parser.add_argument(
        "--overhead-seconds",
        type=float,
        default=12,
        help="seconds of wrk per request and server (floor case), split into --overhead-rounds",
    )
    parser.add_argument(
        "--overhead-rounds",
        type=int,
        default=4,
        help="rounds in which the floor and the API take turns (floor case); the medians are reported",
    )
    parser.add_argument(
        "--overhead-only",
        action="store_true",
        help="only the API against the floor, on an already seeded --database (no reseeding)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of slow cases"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="small and quick: check every fast path against raw SQL; drop the database after",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.repeat, args.list_repeat, args.load_seconds = min(args.repeat, 3), 1, min(args.load_seconds, 2)
        args.overhead_seconds, args.overhead_rounds = min(args.overhead_seconds, 1), 1

    load_at_start = os.getloadavg()
    name = args.database or f"tickets_bench_{args.n}"
    failures: list[str] = []
    procs = []
    if args.overhead_only:
        return overhead_only(args, with_database(args.server, name))
    print(f"database {name}: recreating, migrating, seeding {args.n:,} tickets", flush=True)
    url = recreate_database(args.server, name)
    try:
        migrate_s = seed.migrate(url, sys.executable)
        seeding = seed.seed(url, args.n, progress=print)
        seeding["triage"] = seed.seed_suggestions(url)
        print(f"  suggestions: {seeding['triage']}", flush=True)
        print(
            f"  seeded in {seeding['total_seconds']:.1f} s ({seeding['rows_per_second']:,.0f} rows/s), "
            f"table {seeding['table_size']}",
            flush=True,
        )

        llm_port, port = free_port(), free_port()
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "devtools.fake_llm",
                    "--port",
                    str(llm_port),
                    "--delay",
                    str(args.llm_delay),
                ],
                cwd=BACKEND,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        command, server_desc = gunicorn_command(port)
        env = api_env(url, llm_port, args.llm_delay)
        # The access log (stdout, as deployed) is written but not shown.
        gunicorn = subprocess.Popen(
            command, cwd=BACKEND, env=env, stdout=subprocess.DEVNULL, start_new_session=True
        )
        procs.append(gunicorn)
        wait_for(port, "/api/tickets/stats/")
        print(f"  API under {server_desc} on 127.0.0.1:{port}", flush=True)

        conn = psycopg2.connect(url)
        conn.autocommit = True
        ctx = Context(conn, args.n)
        sign_in(port, url, conn, ctx)
        check_stats(port, conn, failures)
        serial_conn = psycopg2.connect(url, options="-c max_parallel_workers_per_gather=0")
        serial_conn.autocommit = True
        rows = time_cases(port, conn, serial_conn, ctx, args.repeat, failures, args.scan_repeat)
        overhead = auth_overhead(port, ctx, max(args.repeat * 5, 10))
        serial_conn.close()
        check_stats(port, conn, failures)
        overhead_rows = against_floor(port, env, ctx, args, procs, failures)
        conn.autocommit = False
        print("  unpaginated list ...", flush=True)
        unpaginated = time_unpaginated(port, conn, gunicorn.pid, args.list_repeat, args.smoke, failures)
        conn.autocommit = True
        print("  export ...", flush=True)
        queue = time_queue(port, conn, gunicorn.pid, ctx, failures)
        serializers = serializer_vs_fast_path(url, args.n, failures)
        print("  mixed load ...", flush=True)
        load_result = throughput(port, ctx, args.load_seconds, args.clients, args.classify_clients, failures)
        check_stats(port, conn, failures)
        print("  bulk ...", flush=True)
        queue["bulk_10000"] = time_bulk(port, conn, ctx, failures)
        check_stats(port, conn, failures)

        result = {
            "n": args.n,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "load_average_at_start": load_at_start,
                "load_average_at_end": os.getloadavg(),
            },
            "server": server_desc,
            "migrate_seconds": migrate_s,
            "seeding": seeding,
            "cases": rows,
            "overhead": overhead_rows,
            "auth_overhead": overhead,
            "unpaginated": unpaginated,
            "serializer_vs_fast_path": serializers,
            "queue": queue,
            "throughput": load_result,
            "llm_delay_seconds": args.llm_delay,
            "failures": failures,
        }
        markdown = report.markdown(result)
        RESULTS.mkdir(exist_ok=True)
        stem = RESULTS / f"bench-{args.n}-{time.strftime('%Y%m%d-%H%M%S')}"
        stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
        stem.with_suffix(".md").write_text(markdown)
        print(markdown)
        print(f"written: {stem}.json and .md")
        if args.explain:
            print(report.explain(conn, rows, orm_sql))
        conn.close()
    finally:
        for proc in reversed(procs):
            stop_process(proc, timeout=30)
        if args.smoke:
            drop_database(args.server, name)

    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("bench: every fast path answered as the raw SQL did")
    return 0


if __name__ == "__main__":
    sys.exit(main())

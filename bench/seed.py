"""A fresh database, migrated, then filled with realistic tickets in set-based SQL.

Text comes from a vocabulary where a few words are common and many are rare
(Zipf-like picks), plus invented rare words, so that trigram search meets both
kinds of term. Tickets arrive over two years in id order, as real ones do.
"""

import os
import subprocess
import time
from pathlib import Path

import psycopg2
from psycopg2 import sql

BACKEND = Path(__file__).resolve().parent.parent / "backend"

COMMON_WORDS = [
    "the",
    "to",
    "and",
    "a",
    "of",
    "my",
    "i",
    "is",
    "in",
    "it",
    "for",
    "not",
    "on",
    "with",
    "this",
    "that",
    "have",
    "be",
    "account",
    "was",
    "error",
    "when",
    "after",
    "login",
    "payment",
    "invoice",
    "password",
    "app",
    "page",
    "cannot",
    "please",
    "help",
    "working",
    "since",
    "email",
    "order",
    "refund",
    "customer",
    "update",
    "upgrade",
    "subscription",
    "billing",
    "charged",
    "twice",
    "crash",
    "slow",
    "timeout",
    "printer",
    "report",
    "export",
    "import",
    "dashboard",
    "settings",
    "profile",
    "access",
    "reset",
    "support",
    "ticket",
    "mobile",
    "browser",
    "server",
    "download",
    "upload",
    "sync",
    "file",
    "data",
    "card",
    "bank",
    "plan",
    "today",
    "yesterday",
    "again",
    "still",
    "urgent",
    "issue",
    "problem",
    "question",
    "team",
    "user",
    "admin",
    "access",
    "screen",
    "button",
    "link",
    "code",
    "message",
    "notification",
    "address",
    "phone",
    "number",
    "trial",
    "renewal",
    "receipt",
    "discount",
    "coupon",
    "integration",
    "webhook",
    "api",
    "token",
    "permission",
    "role",
    "storage",
    "backup",
]

# Invented words: rare by construction, each used by a few tickets per million.
SYLLABLES = [
    "bar",
    "kel",
    "mon",
    "tis",
    "vax",
    "dor",
    "pel",
    "quin",
    "ruz",
    "sab",
    "tor",
    "ulm",
    "vek",
    "wim",
    "yar",
    "zod",
    "fen",
    "gol",
    "hap",
    "jex",
]

TITLE_WORDS = 4
DESCRIPTION_WORDS = 18
# The searches the harness runs; chosen from the vocabulary above.
RARE_WORD = "quinzodfen"  # an invented word: quin + zod + fen
COMMON_WORD = "printer"
SHORT_TERM = "qx"  # in no word: the worst case, every row is read


def admin_dsn(base_url: str) -> str:
    return base_url.rsplit("/", 1)[0] + "/postgres"


def database_url(base_url: str, name: str) -> str:
    return base_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(base_url: str, name: str) -> None:
    conn = psycopg2.connect(admin_dsn(base_url))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def drop_database(base_url: str, name: str) -> None:
    conn = psycopg2.connect(admin_dsn(base_url))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


def migrate(url: str, python: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BACKEND,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )
    return time.perf_counter() - started


def _pick(array: str, size: int, skew: float) -> str:
    # random()^skew leans towards the start of the array: its first words are common.
    return f"{array}[1 + floor(power(random(), {skew}) * {size})::int]"


def seed_sql(n: int) -> str:
    common = "ARRAY[" + ",".join(f"'{w}'" for w in COMMON_WORDS) + "]"
    syllables = "ARRAY[" + ",".join(f"'{s}'" for s in SYLLABLES) + "]"
    nc, ns = len(COMMON_WORDS), len(SYLLABLES)
    title = " || ' ' || ".join(_pick("v.common", nc, 1.6) for _ in range(TITLE_WORDS))
    description = " || ' ' || ".join(_pick("v.common", nc, 2.2) for _ in range(DESCRIPTION_WORDS))
    rare = " || ".join(f"v.syllables[1 + floor(random() * {ns})::int]" for _ in range(3))
    return f"""
        WITH v AS (SELECT {common} AS common, {syllables} AS syllables)
        INSERT INTO tickets_ticket (title, description, category, priority, status, created_at)
        SELECT
            initcap({title}),
            {description} || CASE WHEN random() < 0.3 THEN ' ' || {rare} ELSE '' END || '.',
            (ARRAY['technical','technical','billing','account','general'])[1 + floor(random() * 5)::int],
            (ARRAY['low','medium','medium','high','critical'])[1 + floor(random() * 5)::int],
            CASE WHEN g > %(n)s * 0.9 THEN
                (ARRAY['open','open','in_progress','resolved'])[1 + floor(random() * 4)::int]
            ELSE
                (ARRAY['open','in_progress','resolved','closed','closed','closed'])[1 + floor(random() * 6)::int]
            END,
            now() - interval '730 days' * (1 - g::float8 / %(n)s) - interval '1 minute' * random()
        FROM generate_series(%(first)s, %(last)s) AS g, v
    """


# Rows inserted per transaction: WAL, the tally trigger's transition table and
# temporary files stay bounded however large N is, and progress shows.
SEED_BATCH = 1_000_000


def seed(url: str, n: int, progress=None) -> dict:
    """Insert n tickets with the secondary indexes dropped, then rebuild them
    from their own definitions (a bulk build is far faster than n updates).
    Rows go in SEED_BATCH at a time, one transaction each."""
    conn = psycopg2.connect(url)
    conn.autocommit = False
    timings = {}
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SELECT setseed(0.42)")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets_ticket' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        conn.commit()
        started = time.perf_counter()
        statement = seed_sql(n)
        for first in range(1, n + 1, SEED_BATCH):
            last = min(n, first + SEED_BATCH - 1)
            cur.execute(statement, {"n": n, "first": first, "last": last})
            conn.commit()
            if progress and n > SEED_BATCH:
                elapsed = time.perf_counter() - started
                progress(f"  inserted {last:,} of {n:,} rows in {elapsed:.0f} s")
        timings["insert_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        for name, definition in indexes:
            step = time.perf_counter()
            cur.execute(definition)
            conn.commit()
            if progress and n > SEED_BATCH:
                progress(f"  index {name} built in {time.perf_counter() - step:.0f} s")
        timings["index_seconds"] = time.perf_counter() - started
    conn.autocommit = True
    with conn.cursor() as cur:
        started = time.perf_counter()
        cur.execute("VACUUM (ANALYZE) tickets_ticket")
        timings["vacuum_seconds"] = time.perf_counter() - started
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('tickets_ticket'))")
        timings["table_size"] = cur.fetchone()[0]
    conn.close()
    total = timings["insert_seconds"] + timings["index_seconds"] + timings["vacuum_seconds"]
    timings["total_seconds"] = total
    timings["rows_per_second"] = n / total if total else 0.0
    return timings

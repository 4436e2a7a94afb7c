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
        FROM generate_series(1, %(n)s) AS g, v
    """


def seed(url: str, n: int) -> dict:
    """Insert n tickets with the secondary indexes dropped, then rebuild them
    from their own definitions (a bulk build is far faster than n updates)."""
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
        started = time.perf_counter()
        cur.execute(seed_sql(n), {"n": n})
        conn.commit()
        timings["insert_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        for _, definition in indexes:
            cur.execute(definition)
        conn.commit()
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


# Classify answers for the tickets of the last SUGGESTION_DAYS days: one shown per
# ticket created (85% of tickets came through the form), plus 15% shown and
# abandoned. Mostly LLM answers, some fallbacks; the agent kept the suggested
# category four times in five and the priority two times in three.
SUGGESTION_DAYS = 60


def seed_suggestions(url: str) -> dict:
    conn = psycopg2.connect(url)
    started = time.perf_counter()
    labels = (
        "(ARRAY['billing','technical','account','general'])[1 + floor(random() * 4)::int]",
        "(ARRAY['low','medium','high','critical'])[1 + floor(random() * 4)::int]",
    )
    with conn.cursor() as cur:
        cur.execute("SELECT setseed(0.17)")
        cur.execute(
            f"""
            WITH recent AS (
                SELECT id, category, priority, created_at, random() AS r FROM tickets_ticket
                WHERE created_at >= now() - interval '{SUGGESTION_DAYS} days'
            ), shown AS (
                SELECT id, category, priority, created_at, r < 0.85 AS linked,
                    CASE WHEN random() < 0.8 THEN category ELSE {labels[0]} END AS s_category,
                    CASE WHEN random() < 0.67 THEN priority ELSE {labels[1]} END AS s_priority,
                    random() AS kind
                FROM recent
                UNION ALL
                SELECT NULL, NULL, NULL, created_at, false, {labels[0]}, {labels[1]}, random()
                FROM recent WHERE r < 0.15
            )
            INSERT INTO triage_suggestion (created_at, category, priority, source, model, fallback_reason,
                cached, latency_ms, prompt_tokens, completion_tokens, examples, ticket_id, linked_at,
                created_category, created_priority, current_category, current_priority)
            SELECT created_at - interval '30 seconds', s_category, s_priority,
                CASE WHEN kind < 0.9 THEN 'llm' WHEN kind < 0.92 THEN 'similar' ELSE 'default' END,
                CASE WHEN kind < 0.9 THEN (CASE WHEN kind < 0.6 THEN 'gpt-4o' ELSE 'gpt-4o-mini' END) ELSE '' END,
                CASE WHEN kind < 0.9 THEN '' ELSE 'llm_error' END,
                false,
                CASE WHEN kind < 0.9 THEN 300 + 1200 * random() * random() ELSE 5 + 20 * random() END,
                CASE WHEN kind < 0.9 THEN 250 + floor(200 * random())::int END,
                CASE WHEN kind < 0.9 THEN 9 + floor(3 * random())::int END,
                CASE WHEN kind < 0.9 THEN 3 ELSE 0 END,
                CASE WHEN linked THEN id END,
                CASE WHEN linked THEN created_at END,
                CASE WHEN linked THEN (CASE WHEN random() < 0.9 THEN s_category ELSE category END) ELSE '' END,
                CASE WHEN linked THEN (CASE WHEN random() < 0.8 THEN s_priority ELSE priority END) ELSE '' END,
                CASE WHEN linked THEN category ELSE '' END,
                CASE WHEN linked THEN priority ELSE '' END
            FROM shown
            """
        )
        conn.commit()
        cur.execute("SELECT count(*), count(ticket_id) FROM triage_suggestion")
        total, linked = cur.fetchone()
        cur.execute("SELECT count(*) FROM triage_suggestion WHERE created_at >= now() - interval '30 days'")
        last_30_days = cur.fetchone()[0]
    conn.commit()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) triage_suggestion")
    conn.close()
    return {
        "days": SUGGESTION_DAYS,
        "suggestions": total,
        "linked": linked,
        "last_30_days": last_30_days,
        "seconds": time.perf_counter() - started,
    }

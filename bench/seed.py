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


def seed_sql(n: int, *, stamps: bool = True) -> str:
    """The INSERT of tickets `first` to `last` of `n`; without `stamps`, for a
    schema from before `updated_at` and `resolved_at` (bench/migrations.py)."""
    common = "ARRAY[" + ",".join(f"'{w}'" for w in COMMON_WORDS) + "]"
    syllables = "ARRAY[" + ",".join(f"'{s}'" for s in SYLLABLES) + "]"
    nc, ns = len(COMMON_WORDS), len(SYLLABLES)
    title = " || ' ' || ".join(_pick("v.common", nc, 1.6) for _ in range(TITLE_WORDS))
    description = " || ' ' || ".join(_pick("v.common", nc, 2.2) for _ in range(DESCRIPTION_WORDS))
    rare = " || ".join(f"v.syllables[1 + floor(random() * {ns})::int]" for _ in range(3))
    # Each ticket's life takes `span` (1 to 240 hours, less for the newest):
    # resolved first at 60% of it, last changed at 90%; history.py writes the
    # matching history entries.
    stamp_columns = ", updated_at, resolved_at" if stamps else ""
    stamp_values = ", created_at + span * 0.9, created_at + span * 0.6" if stamps else ""
    return f"""
        WITH v AS (SELECT {common} AS common, {syllables} AS syllables)
        INSERT INTO tickets_ticket
            (title, description, category, priority, status, created_at{stamp_columns})
        SELECT title, description, category, priority, status,
               created_at{stamp_values}
        FROM (
            SELECT
                initcap({title}) AS title,
                {description} || CASE WHEN random() < 0.3 THEN ' ' || {rare} ELSE '' END || '.' AS description,
                (ARRAY['technical','technical','billing','account','general'])[1 + floor(random() * 5)::int]
                    AS category,
                (ARRAY['low','medium','medium','high','critical'])[1 + floor(random() * 5)::int] AS priority,
                CASE WHEN g > %(n)s * 0.9 THEN
                    (ARRAY['open','open','in_progress','resolved'])[1 + floor(random() * 4)::int]
                ELSE
                    (ARRAY['open','in_progress','resolved','closed','closed','closed'])[1 + floor(random() * 6)::int]
                END AS status,
                created_at,
                least(interval '1 hour' * (1 + floor(random() * 240)), now() - created_at) AS span
            FROM (
                SELECT g, now() - interval '730 days' * (1 - g::float8 / %(n)s) - interval '1 minute' * random()
                    AS created_at
                FROM generate_series(%(first)s, %(last)s) AS g
            ) AS times, v
        ) AS tickets
    """


HISTORY_PER_TICKET = 5
COMMENTS_PER_TICKET = 2
TABLES = ("tickets_ticket", "history_ticketchange", "comments_comment")
HISTORY_TRIGGERS = ("ticket_history_insert", "ticket_history_update")

# Five entries per ticket that end in its seeded state: the creation (a draft
# title, status open), the title corrected, open -> in_progress, the first
# resolution at resolved_at, and a last change at updated_at (reopened, closed,
# or for tickets still resolved a priority change).
HISTORY_SQL = """
INSERT INTO history_ticketchange (ticket_id, at, actor_id, via, changes)
SELECT t.id, e.at, NULL, e.via, e.changes
FROM (
    SELECT *, (updated_at - created_at) / 0.9 AS span,
        CASE WHEN status <> 'resolved' THEN priority WHEN priority = 'low' THEN 'high' ELSE 'low' END AS first_priority
    FROM tickets_ticket
    WHERE id BETWEEN %(first)s AND %(last)s
) AS t
CROSS JOIN LATERAL (VALUES
    (t.created_at, 'api', jsonb_build_object(
        'title', jsonb_build_array(NULL, t.title || ' (draft)'),
        'description', jsonb_build_array(NULL, t.description),
        'category', jsonb_build_array(NULL, t.category),
        'priority', jsonb_build_array(NULL, t.first_priority),
        'status', jsonb_build_array(NULL, 'open'))),
    (t.created_at + t.span * 0.1, 'api', jsonb_build_object('title', jsonb_build_array(t.title || ' (draft)', t.title))),
    (t.created_at + t.span * 0.3, 'api', '{"status": ["open", "in_progress"]}'::jsonb),
    (t.resolved_at, 'api', '{"status": ["in_progress", "resolved"]}'::jsonb),
    (t.updated_at, 'admin', CASE WHEN t.status = 'resolved'
        THEN jsonb_build_object('priority', jsonb_build_array(t.first_priority, t.priority))
        ELSE jsonb_build_object('status', jsonb_build_array('resolved', t.status)) END)
) AS e (at, via, changes)
"""

COMMENTS_SQL = """
INSERT INTO comments_comment (ticket_id, author_id, body, created_at)
SELECT t.id, NULL,
    (ARRAY['Called the customer, waiting for a screenshot.',
           'Reproduced on staging; see https://status.example.com for the incident.',
           E'Workaround sent:\n1. sign out\n2. clear the cache\n3. sign in again',
           'Escalated to the billing team.'])[1 + (t.id + k) %% 4],
    t.created_at + (t.updated_at - t.created_at) * k / 3.0
FROM tickets_ticket AS t, generate_series(1, %(per_ticket)s) AS k
WHERE t.id BETWEEN %(first)s AND %(last)s
"""


# Rows inserted per transaction: WAL, the tally trigger's transition table and
# temporary files stay bounded however large N is, and progress shows.
SEED_BATCH = 1_000_000


def seed(url: str, n: int, progress=None) -> dict:
    """Insert n tickets, 5 history entries and 2 comments per ticket, with the
    secondary indexes dropped and the history triggers off (the entries are
    written to match the tickets' seeded lives), then rebuild the indexes from
    their own definitions (a bulk build is far faster than n updates). Rows go
    in SEED_BATCH tickets at a time, one transaction each."""
    conn = psycopg2.connect(url)
    conn.autocommit = False
    timings = {}
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SELECT setseed(0.42)")
        # An older schema (bench/migrations.py serves one) has tickets only.
        cur.execute("SELECT to_regclass('history_ticketchange') IS NOT NULL")
        full_schema = cur.fetchone()[0]
        tables = TABLES if full_schema else TABLES[:1]
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT LIKE '%%pkey'",
            [list(tables)],
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        for trigger in HISTORY_TRIGGERS if full_schema else ():
            cur.execute(
                sql.SQL("ALTER TABLE tickets_ticket DISABLE TRIGGER {}").format(sql.Identifier(trigger))
            )
        conn.commit()
        started = time.perf_counter()
        statement = seed_sql(n, stamps=full_schema)
        timings.update(
            ticket_insert_seconds=0.0, history_and_comments_seconds=0.0, history_rows=0, comment_rows=0
        )
        for first in range(1, n + 1, SEED_BATCH):
            last = min(n, first + SEED_BATCH - 1)
            step = time.perf_counter()
            cur.execute(statement, {"n": n, "first": first, "last": last})
            timings["ticket_insert_seconds"] += time.perf_counter() - step
            step = time.perf_counter()
            if full_schema:
                cur.execute(HISTORY_SQL, {"first": first, "last": last})
                timings["history_rows"] += cur.rowcount
                cur.execute(COMMENTS_SQL, {"per_ticket": COMMENTS_PER_TICKET, "first": first, "last": last})
                timings["comment_rows"] += cur.rowcount
            timings["history_and_comments_seconds"] += time.perf_counter() - step
            conn.commit()
            if progress and n > SEED_BATCH:
                elapsed = time.perf_counter() - started
                progress(f"  inserted {last:,} of {n:,} tickets with their history in {elapsed:.0f} s")
        for trigger in HISTORY_TRIGGERS if full_schema else ():
            cur.execute(
                sql.SQL("ALTER TABLE tickets_ticket ENABLE TRIGGER {}").format(sql.Identifier(trigger))
            )
        conn.commit()
        timings["insert_seconds"] = timings["ticket_insert_seconds"] + timings["history_and_comments_seconds"]
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
        for table in tables:
            cur.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
        timings["vacuum_seconds"] = time.perf_counter() - started
        sizes = []
        for table in tables:
            cur.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            sizes.append(f"{table} {cur.fetchone()[0]}")
        timings["table_size"] = ", ".join(sizes)
    conn.close()
    total = timings["insert_seconds"] + timings["index_seconds"] + timings["vacuum_seconds"]
    timings["total_seconds"] = total
    timings["rows_per_second"] = (
        (n + timings["history_rows"] + timings["comment_rows"]) / total if total else 0.0
    )
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

"""The timed cases: each endpoint request next to the raw SQL that answers the
same question. The raw SQL has the shape Django emits (e.g. `UPPER(col::text)
LIKE UPPER(%s)` for search) so that both use the same indexes."""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from . import seed

COLUMNS = "id, title, description, category, priority, status, created_at"
ORDER = "ORDER BY created_at DESC, id DESC"
SEARCH = "(UPPER(title::text) LIKE UPPER(%s) OR UPPER(description) LIKE UPPER(%s))"


@dataclass
class Case:
    name: str
    method: str
    path: Callable[[], str]
    raw_sql: Callable[[], tuple[str, list]]
    body: Callable[[], dict] | None = None
    goal: str = ""
    # Whether the answer's ids are compared with the raw SQL's ids.
    compare_ids: bool = True
    raw_note: str = ""
    # The raw SQL runs without parallel workers, as the API's one query does.
    serial: bool = False
    # The list's query parameters, to EXPLAIN the SQL the ORM emits for them.
    list_params: dict | None = None
    # At most this many timed runs of the raw SQL (a slow alternative).
    raw_repeat: int | None = None
    # "token" or "session": the request carries an agent's credentials.
    auth: str | None = None
    # A query that reads the whole table: at large N it may run past the API's
    # DB_STATEMENT_TIMEOUT, and then its answer is the JSON 503 that says so.
    # It is timed fewer times (--scan-repeat), as each run costs a full scan.
    scan: bool = False


def cursor_token(created_at, pk) -> str:
    token = json.dumps({"t": created_at.isoformat(), "i": pk, "r": False}, separators=(",", ":"))
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def like(term: str) -> list:
    return [f"%{term}%", f"%{term}%"]


def page_sql(where: str = "", params: list | None = None, limit: int = 51) -> tuple[str, list]:
    clause = f"WHERE {where} " if where else ""
    return f"SELECT {COLUMNS} FROM tickets_ticket {clause}{ORDER} LIMIT {limit}", list(params or [])


def build_cases(ctx) -> list[Case]:
    """ctx: deep (created_at, id) of the row near 90%, ids for retrieve/patch, counters."""
    filters = {"category": "technical", "priority": "high", "status": "open"}
    filtered_where = "category = %s AND priority = %s AND status = %s"
    filtered_params = [filters["category"], filters["priority"], filters["status"]]
    deep_at, deep_id = ctx.deep_position
    statuses = ["in_progress", "resolved", "closed", "open"]

    def next_patch():
        ctx.patch_count += 1
        return {"status": statuses[ctx.patch_count % 4]}

    def next_create():
        ctx.create_count += 1
        return {
            "title": f"Printer offline again {ctx.create_count}",
            "description": "The office printer stopped printing after the update; please help.",
            "category": "technical",
            "priority": "medium",
        }

    return triage_cases() + [
        Case(
            "stats",
            "GET",
            lambda: "/api/tickets/stats/",
            lambda: (stats_scan_sql(), []),
            goal="<= 20 ms",
            compare_ids=False,
            raw_note="the brief's fields only: single-pass conditional aggregation over every ticket",
        ),
        Case(
            "first page (cursor, 50)",
            "GET",
            lambda: "/api/tickets/?page_size=50",
            lambda: page_sql(),
            goal="<= 25 ms",
        ),
        Case(
            "first page, token",
            "GET",
            lambda: "/api/tickets/?page_size=50",
            lambda: page_sql(),
            goal="<= first page + 1 ms",
            auth="token",
        ),
        Case(
            "first page, session",
            "GET",
            lambda: "/api/tickets/?page_size=50",
            lambda: page_sql(),
            goal="<= first page + 1 ms",
            auth="session",
        ),
        Case(
            "assigned to me (token)",
            "GET",
            lambda: "/api/tickets/?page_size=50&assignee=me",
            lambda: page_sql("assignee_id = %s", [ctx.agent_id]),
            goal="<= 40 ms",
            auth="token",
        ),
        Case(
            "filtered page (category+priority+status)",
            "GET",
            lambda: "/api/tickets/?" + urlencode({"page_size": 50, **filters}),
            lambda: page_sql(filtered_where, filtered_params),
            goal="<= 40 ms",
            list_params=filters,
        ),
        Case(
            f"search rare word '{seed.RARE_WORD}'",
            "GET",
            lambda: "/api/tickets/?" + urlencode({"page_size": 50, "search": seed.RARE_WORD}),
            lambda: page_sql(SEARCH, like(seed.RARE_WORD)),
            goal="<= 100 ms",
            list_params={"search": seed.RARE_WORD},
        ),
        Case(
            f"search common word '{seed.COMMON_WORD}' + status=open",
            "GET",
            lambda: (
                "/api/tickets/?" + urlencode({"page_size": 50, "search": seed.COMMON_WORD, "status": "open"})
            ),
            lambda: page_sql(f"status = %s AND {SEARCH}", ["open", *like(seed.COMMON_WORD)]),
            list_params={"search": seed.COMMON_WORD, "status": "open"},
        ),
        Case(
            f"search 2-char term '{seed.SHORT_TERM}' (no match)",
            "GET",
            lambda: "/api/tickets/?" + urlencode({"page_size": 50, "search": seed.SHORT_TERM}),
            lambda: (f"SELECT count(*) FROM tickets_ticket WHERE {SEARCH}", like(seed.SHORT_TERM)),
            goal="<= 1 sequential scan",
            compare_ids=False,
            serial=True,
            raw_note="one sequential scan with the same predicate, no parallel workers",
            list_params={"search": seed.SHORT_TERM},
            scan=True,
        ),
        Case(
            "deep page ~90% (cursor)",
            "GET",
            lambda: "/api/tickets/?" + urlencode({"page_size": 50, "cursor": cursor_token(deep_at, deep_id)}),
            lambda: page_sql("(created_at, id) < (%s, %s)", [deep_at, deep_id]),
            goal="<= 1.5x first page",
        ),
        Case(
            "deep page ~90% (offset, exact count)",
            "GET",
            lambda: f"/api/tickets/?limit=50&offset={ctx.deep_offset}",
            lambda: (f"SELECT {COLUMNS} FROM tickets_ticket {ORDER} LIMIT 50 OFFSET {ctx.deep_offset}", []),
            goal="contrast only",
            raw_note="the page alone, without the count",
            scan=True,
        ),
        Case(
            "retrieve",
            "GET",
            lambda: f"/api/tickets/{ctx.some_id()}/",
            lambda: (f"SELECT {COLUMNS}, updated_at FROM tickets_ticket WHERE id = %s", [ctx.some_id()]),
            goal="<= 15 ms",
            compare_ids=False,
        ),
        Case(
            "first 50 comments of a ticket",
            "GET",
            lambda: f"/api/tickets/{ctx.page_ticket}/comments/",
            lambda: (
                "SELECT c.id, c.body, c.created_at, u.id, u.username FROM comments_comment AS c "
                "LEFT JOIN auth_user AS u ON u.id = c.author_id WHERE c.ticket_id = %s ORDER BY c.id LIMIT 51",
                [ctx.page_ticket],
            ),
            goal="<= 15 ms",
        ),
        Case(
            "first 50 history entries of a ticket",
            "GET",
            lambda: f"/api/tickets/{ctx.page_ticket}/history/",
            lambda: (
                "SELECT h.id, h.at, h.via, h.changes, u.id, u.username FROM history_ticketchange AS h "
                "LEFT JOIN auth_user AS u ON u.id = h.actor_id WHERE h.ticket_id = %s ORDER BY h.id LIMIT 51",
                [ctx.page_ticket],
            ),
            goal="<= 15 ms",
        ),
        Case(
            "create",
            "POST",
            lambda: "/api/tickets/",
            lambda: (
                "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
                "VALUES (%s, %s, 'technical', 'medium', 'open', now()) RETURNING id",
                ["Raw insert", "Inserted by the raw SQL side of the benchmark."],
            ),
            body=next_create,
            goal="<= 15 ms",
            compare_ids=False,
        ),
        Case(
            "patch (status)",
            "PATCH",
            lambda: f"/api/tickets/{ctx.patch_id}/",
            lambda: (
                "UPDATE tickets_ticket SET status = %s WHERE id = %s",
                [statuses[ctx.patch_count % 4], ctx.patch_id + 1],
            ),
            body=next_patch,
            goal="<= 15 ms",
            compare_ids=False,
        ),
    ]


# Texts a form sends while an agent types: common words only, and one with a rare word.
SIMILAR_COMMON_TEXT = (
    "My payment failed and the invoice says I was charged twice for the subscription, please refund the card"
)
SIMILAR_RARE_TEXT = f"The {seed.RARE_WORD} export crashes on the dashboard after the update"
TRIGRAM_SIMILAR = (
    "SELECT id, similarity(UPPER(description), UPPER(%s)) AS score FROM tickets_ticket "
    "WHERE UPPER(description) %% UPPER(%s) ORDER BY score DESC, id DESC LIMIT 5"
)
TRIAGE_WINDOW = "created_at >= now() - interval '30 days'"
TRIAGE_STATS_SQL = f"""
SELECT (SELECT count(*) FROM (
        SELECT count(*), count(prompt_tokens), sum(prompt_tokens), sum(completion_tokens)
        FROM triage_suggestion WHERE {TRIAGE_WINDOW}
        GROUP BY source, model, fallback_reason, category, priority, created_category,
            created_priority, current_category, current_priority, ticket_id IS NULL) AS groups),
    (SELECT percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY latency_ms)
        FROM triage_suggestion WHERE {TRIAGE_WINDOW})
"""


def triage_cases() -> list[Case]:
    """Similar tickets (full-text, next to trigram similarity, the alternative
    not chosen) and the triage statistics."""
    return [
        Case(
            "similar tickets, common words (full-text)",
            "GET",
            lambda: "/api/tickets/similar/?" + urlencode({"text": SIMILAR_COMMON_TEXT}),
            lambda: (TRIGRAM_SIMILAR, [SIMILAR_COMMON_TEXT, SIMILAR_COMMON_TEXT]),
            goal="<= 50 ms",
            compare_ids=False,
            raw_note="trigram similarity over UPPER(description), the alternative",
            raw_repeat=3,
        ),
        Case(
            "similar tickets, a rare word (full-text)",
            "GET",
            lambda: "/api/tickets/similar/?" + urlencode({"text": SIMILAR_RARE_TEXT}),
            lambda: (TRIGRAM_SIMILAR, [SIMILAR_RARE_TEXT, SIMILAR_RARE_TEXT]),
            goal="<= 50 ms",
            compare_ids=False,
            raw_note="trigram similarity over UPPER(description), the alternative",
            raw_repeat=3,
        ),
        Case(
            "triage stats (30 days)",
            "GET",
            lambda: "/api/triage/stats/",
            lambda: (TRIAGE_STATS_SQL, []),
            goal="<= 20 ms",
            compare_ids=False,
            raw_note="one grouped pass over the window's suggestions, without the tallies",
        ),
    ]


def stats_scan_sql() -> str:
    parts = ["count(*)", "count(*) FILTER (WHERE status = 'open')", "min(created_at)"]
    for p in ("low", "medium", "high", "critical"):
        parts.append(f"count(*) FILTER (WHERE priority = '{p}')")
    for c in ("billing", "technical", "account", "general"):
        parts.append(f"count(*) FILTER (WHERE category = '{c}')")
    return f"SELECT {', '.join(parts)} FROM tickets_ticket"


# The statistics' new fields computed from the tickets and their history
# alone: a ticket's first resolution is its first history entry that moves
# the status into resolved or closed. %(now)s is the moment to compute at.
STATS_FROM_HISTORY_SQL = """
WITH first_resolution AS (
    SELECT ticket_id, min(at) AS at FROM history_ticketchange
    WHERE changes -> 'status' ->> 1 IN ('resolved', 'closed')
      AND COALESCE(changes -> 'status' ->> 0, '') NOT IN ('resolved', 'closed')
    GROUP BY ticket_id
)
SELECT
    (SELECT round((percentile_cont(0.5) WITHIN GROUP (
            ORDER BY date_part('epoch', r.at) - date_part('epoch', t.created_at)) / 3600)::numeric, 2)::float8
        FROM first_resolution AS r JOIN tickets_ticket AS t ON t.id = r.ticket_id
        WHERE r.at >= %(now)s - interval '30 days'),
    (SELECT json_agg(json_build_object(
            'date', day::date::text,
            'created', (SELECT count(*) FROM tickets_ticket
                        WHERE created_at >= day AND created_at < day + interval '1 day'),
            'resolved', (SELECT count(*) FROM first_resolution
                         WHERE at >= day AND at < day + interval '1 day'))
        ORDER BY day)
        FROM generate_series(date_trunc('day', %(now)s AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '29 days',
                             date_trunc('day', %(now)s AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                             interval '1 day') AS day)
"""

"""Reads: similar past tickets, and how the suggestions fared."""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

from django.db import connection

from tickets.models import Category, Priority, Ticket

from .models import Source, Suggestion

# --- Similar tickets -------------------------------------------------------

# The text searched for is cut to this many characters.
SIMILAR_TEXT_MAX_CHARS = 2000
# At most this many of the text's words are searched for: the most distinctive.
MAX_TERMS = 10
# Words found in more than this share of tickets say little about a ticket; they
# are searched for only when the text has nothing rarer.
COMMON_SHARE = 0.2
# Candidates come from two bounded places: the newest RECENT tickets holding any
# of the words, and the newest CANDIDATES tickets anywhere holding a rare word
# (in less than RARE_SHARE of tickets), found through the GIN index.
RECENT = 500
CANDIDATES = 300
RARE_SHARE = 0.005
# How long a worker reuses the word frequencies PostgreSQL's ANALYZE gathered.
FREQUENCIES_SECONDS = 600

VECTOR = "to_tsvector('english'::regconfig, title || ' ' || description)"
# Each candidate's vector is computed once, then filtered and scored from it.
SIMILAR_SQL = f"""
WITH recent AS MATERIALIZED (
    SELECT id, {VECTOR} AS vector
    FROM (SELECT id, title, description FROM tickets_ticket ORDER BY id DESC LIMIT %(recent)s) AS newest
), rare_ids AS MATERIALIZED (
    -- No ORDER BY / LIMIT here: with one, the planner may walk the whole table
    -- backwards computing vectors, looking for words that are rare by design.
    SELECT id FROM tickets_ticket WHERE {VECTOR} @@ %(rare_query)s::tsquery
), rare AS MATERIALIZED (
    SELECT t.id, to_tsvector('english'::regconfig, t.title || ' ' || t.description) AS vector
    FROM (SELECT id FROM rare_ids ORDER BY id DESC LIMIT %(candidates)s) AS newest
    JOIN tickets_ticket AS t USING (id)
), candidates AS (
    SELECT id, vector FROM recent WHERE vector @@ %(query)s::tsquery
    UNION ALL
    SELECT id, vector FROM rare WHERE id NOT IN (SELECT id FROM recent)
), best AS (
    SELECT id, (SELECT count(*) FROM unnest(tsvector_to_array(vector)) AS lexeme(word)
                WHERE word = ANY(%(terms)s))::float8 / %(n)s AS score
    FROM candidates
    ORDER BY score DESC, id DESC
    LIMIT %(limit)s
)
SELECT t.id, t.title, t.category, t.priority, t.status, t.created_at, t.description, best.score
FROM best JOIN tickets_ticket AS t USING (id)
ORDER BY best.score DESC, t.id DESC
"""

_frequencies: dict = {"at": 0.0, "values": {}}


def similar_tickets(*, text: str, limit: int = 5, min_score: float = 0.0) -> list[dict]:
    """Up to `limit` past tickets most like `text`, best first, each with a
    `score` in (0, 1]: the share of the text's distinctive words it contains.

    PostgreSQL: English full-text search over title and description through the
    GIN index `ticket_fulltext_idx`. The text's words are reduced to at most
    MAX_TERMS of the rarest (by ANALYZE's word frequencies). Candidates are the
    newest RECENT tickets holding any of them, and the newest CANDIDATES
    tickets holding a rare one; the cost is bounded by those, not by the size
    of the table. Elsewhere the newest tickets are scored in Python the same way.
    """
    # PostgreSQL text cannot hold NUL.
    text = text[:SIMILAR_TEXT_MAX_CHARS].replace("\x00", " ")
    if connection.vendor == "postgresql":
        rows = _similar_postgresql(text, limit)
    else:
        rows = _similar_scan(text, limit)
    return [row for row in rows if row["score"] > min_score]


def _similar_postgresql(text: str, limit: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(lexeme) FROM unnest(to_tsvector('english'::regconfig, %s))", [text])
        words = cursor.fetchone()[0] or []
        frequencies = _word_frequencies(cursor)
        terms = _distinctive(words, frequencies)
        if not terms:
            return []
        rare = [term for term in terms if frequencies.get(term, 0.0) < RARE_SHARE]
        cursor.execute(
            SIMILAR_SQL,
            {
                "query": _tsquery(terms),
                # An empty query matches nothing (PostgreSQL notes it and moves on).
                "rare_query": _tsquery(rare),
                "terms": terms,
                "n": len(terms),
                "recent": RECENT,
                "candidates": CANDIDATES,
                "limit": limit,
            },
        )
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _word_frequencies(cursor) -> dict[str, float]:
    """Share of tickets holding each common word, from the index's statistics."""
    if time.monotonic() - _frequencies["at"] < FREQUENCIES_SECONDS:
        return _frequencies["values"]
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'ticket_fulltext_idx'"
    )
    row = cursor.fetchone()
    values = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies.update(at=time.monotonic(), values=values)
    return values


def forget_word_frequencies() -> None:
    _frequencies.update(at=0.0, values={})


def _distinctive(words: list[str], frequencies: dict[str, float]) -> list[str]:
    """The rarest words first (unknown ones are rare), longer before shorter."""
    ranked = sorted(set(words), key=lambda word: (frequencies.get(word, 0.0), -len(word), word))
    rare = [word for word in ranked if frequencies.get(word, 0.0) <= COMMON_SHARE]
    return (rare or ranked[:3])[:MAX_TERMS]


def _tsquery(terms: list[str]) -> str:
    """Any of the terms, as tsquery input: each quoted, so taken as one lexeme."""
    return " | ".join("'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms)


# Without PostgreSQL: the newest tickets, scored in Python.
SCAN_TICKETS = 5000
_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "all",
        "any",
        "can",
        "had",
        "her",
        "was",
        "one",
        "our",
        "out",
        "has",
        "have",
        "this",
        "that",
        "with",
        "from",
        "they",
        "been",
        "were",
        "will",
        "would",
        "there",
        "their",
        "what",
        "when",
        "which",
        "who",
        "how",
        "its",
        "into",
        "than",
        "then",
        "them",
        "these",
        "some",
        "just",
        "very",
        "also",
        "after",
        "before",
        "again",
        "please",
        "thanks",
        "thank",
        "hello",
        "dear",
        "could",
        "should",
        "about",
        "since",
    ]
)


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS}


def _similar_scan(text: str, limit: int) -> list[dict]:
    terms = sorted(_words(text), key=lambda word: (-len(word), word))[:MAX_TERMS]
    if not terms:
        return []
    wanted = set(terms)
    fields = ["id", "title", "category", "priority", "status", "created_at", "description"]
    scored = []
    for row in Ticket.objects.order_by("-id").values(*fields)[:SCAN_TICKETS]:
        shared = len(wanted & _words(f"{row['title']} {row['description']}"))
        if shared:
            scored.append({**row, "score": shared / len(terms)})
    scored.sort(key=lambda row: (-row["score"], -row["id"]))
    return scored[:limit]


def similar_vote(*, neighbours: list[dict], min_votes: int) -> tuple[str, str] | None:
    """The labels most similar tickets carry, each vote weighted by its score;
    None when fewer than `min_votes` tickets vote."""
    if len(neighbours) < min_votes:
        return None
    categories, priorities = Counter(), Counter()
    for row in neighbours:
        categories[row["category"]] += row["score"]
        priorities[row["priority"]] += row["score"]
    # Ties go to the better-ranked neighbour, which Counter keeps first.
    return categories.most_common(1)[0][0], priorities.most_common(1)[0][0]


# --- Triage statistics -----------------------------------------------------

COUNTERS = [
    "n",
    "created",
    "accepted_category",
    "accepted_priority",
    "accepted_both",
    "linked",
    "agree_category",
    "agree_priority",
    "agree_both",
    "fallbacks",
    "usage_n",
    "prompt",
    "completion",
]

# Latencies are counted in buckets 10% wide (migration 0003); a percentile is
# the middle of the bucket holding the nearest-rank value.
LATENCY_BUCKET_GROWTH = 1.1


def latency_bucket(latency_ms: float) -> int:
    return math.floor(math.log(1 + max(latency_ms, 0.0)) / math.log(LATENCY_BUCKET_GROWTH))


def _bucket_middle(bucket: int) -> float:
    return round(LATENCY_BUCKET_GROWTH ** (bucket + 0.5) - 1, 1)


def _percentiles(buckets: Counter) -> tuple[float, float] | None:
    total = sum(buckets.values())
    if not total:
        return None
    found = []
    for q in (0.5, 0.95):
        rank, seen = max(1, math.ceil(q * total)), 0
        for bucket in sorted(buckets):
            seen += buckets[bucket]
            if seen >= rank:
                found.append(_bucket_middle(bucket))
                break
    return found[0], found[1]


class _Aggregates:
    def __init__(self):
        self.counters: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self.latency: dict[tuple, Counter] = defaultdict(Counter)
        # (source, model, field, suggested, current) -> linked suggestions
        self.pairs: Counter = Counter()
        # (source, model, reason) -> suggestions
        self.reasons: Counter = Counter()

    def add(self, source: str, model: str, counters: dict) -> None:
        for key in (("all", ""), ("source", source), ("model", model)):
            for name, value in counters.items():
                self.counters[key][name] += int(value)

    def add_latency(self, source: str, model: str, bucket: int, n: int) -> None:
        for key in (("all", ""), ("source", source), ("model", model)):
            self.latency[key][bucket] += n


def triage_stats(*, days: int = 30, today: date | None = None) -> dict:
    """How the suggestions of the last `days` UTC days (today included) fared,
    overall, by source and by model. On PostgreSQL from the tallies that
    triggers keep (migration 0003): a few hundred rows whatever the number of
    suggestions; elsewhere from the suggestions themselves."""
    today = today or datetime.now(UTC).date()
    first_day = today - timedelta(days=days - 1)
    data = _aggregate_tallies(first_day) if connection.vendor == "postgresql" else _aggregate_rows(first_day)
    models = sorted({key[1] for key in data.counters if key[0] == "model" and key[1]})
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    body = {"days": days, "since": since, **_summary(data, ("all", ""))}
    body["by_source"] = {source: _summary(data, ("source", source)) for source in Source.values}
    body["by_model"] = {model: _summary(data, ("model", model)) for model in models}
    return body


def _aggregate_tallies(first_day: date) -> _Aggregates:
    data = _Aggregates()
    column = {"n": "suggestions", "fallbacks": "suggestions * (fallback_reason <> '')::int"}
    sums = ", ".join(f"sum({column.get(name, name)})" for name in COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source, model, fallback_reason, {sums} "
            "FROM triage_tally WHERE day >= %s GROUP BY 1, 2, 3",
            [first_day],
        )
        for source, model, reason, *values in cursor.fetchall():
            counters = {name: int(value or 0) for name, value in zip(COUNTERS, values, strict=True)}
            data.add(source, model, counters)
            if reason and counters["n"]:
                data.reasons[(source, model, reason)] += counters["n"]
        cursor.execute(
            "SELECT source, model, field, suggested, current, sum(suggestions) FROM triage_pair_tally "
            "WHERE day >= %s GROUP BY 1, 2, 3, 4, 5 HAVING sum(suggestions) <> 0",
            [first_day],
        )
        for source, model, field, suggested, current, n in cursor.fetchall():
            data.pairs[(source, model, field, suggested, current)] += int(n)
        cursor.execute(
            "SELECT source, model, bucket, sum(suggestions) FROM triage_latency_tally "
            "WHERE day >= %s GROUP BY 1, 2, 3 HAVING sum(suggestions) > 0",
            [first_day],
        )
        for source, model, bucket, n in cursor.fetchall():
            data.add_latency(source, model, bucket, int(n))
    return data


def _aggregate_rows(first_day: date) -> _Aggregates:
    """The same figures from the suggestions themselves; the tickets' current
    labels through a join."""
    data = _Aggregates()
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    rows = Suggestion.objects.filter(created_at__gte=since).values_list(
        "source",
        "model",
        "category",
        "priority",
        "created_category",
        "created_priority",
        "ticket__category",
        "ticket__priority",
        "fallback_reason",
        "prompt_tokens",
        "completion_tokens",
        "latency_ms",
    )
    for (
        source,
        model,
        category,
        priority,
        c_category,
        c_priority,
        n_category,
        n_priority,
        reason,
        *rest,
    ) in rows:
        prompt, completion, latency = rest
        linked = n_category is not None
        data.add(
            source,
            model,
            {
                "n": 1,
                "created": c_category != "",
                "accepted_category": c_category == category,
                "accepted_priority": c_priority == priority,
                "accepted_both": c_category == category and c_priority == priority,
                "linked": linked,
                "agree_category": linked and n_category == category,
                "agree_priority": linked and n_priority == priority,
                "agree_both": linked and n_category == category and n_priority == priority,
                "fallbacks": reason != "",
                "usage_n": prompt is not None,
                "prompt": prompt or 0,
                "completion": completion or 0,
            },
        )
        data.add_latency(source, model, latency_bucket(latency), 1)
        if linked:
            data.pairs[(source, model, "category", category, n_category)] += 1
            data.pairs[(source, model, "priority", priority, n_priority)] += 1
        if reason:
            data.reasons[(source, model, reason)] += 1
    return data


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(data: _Aggregates, key: tuple[str, str]) -> dict:
    c = data.counters.get(key) or dict.fromkeys(COUNTERS, 0)
    kind, value = key

    def selected(source: str, model: str) -> bool:
        return kind == "all" or (kind == "source" and source == value) or (kind == "model" and model == value)

    confusion = {
        "category": {s: dict.fromkeys(Category.values, 0) for s in Category.values},
        "priority": {s: dict.fromkeys(Priority.values, 0) for s in Priority.values},
    }
    for (source, model, field, suggested, current), n in data.pairs.items():
        if selected(source, model) and current in confusion[field][suggested]:
            confusion[field][suggested][current] += n
    reasons = Counter()
    for (source, model, reason), n in data.reasons.items():
        if selected(source, model):
            reasons[reason] += n
    latency = _percentiles(data.latency.get(key, Counter()))
    usage_n = c["usage_n"]
    return {
        "suggestions": c["n"],
        "tickets_created": c["created"],
        "accepted_unchanged": {
            "category": _share(c["accepted_category"], c["created"]),
            "priority": _share(c["accepted_priority"], c["created"]),
            "both": _share(c["accepted_both"], c["created"]),
        },
        "agreement_now": {
            "category": _share(c["agree_category"], c["linked"]),
            "priority": _share(c["agree_priority"], c["linked"]),
            "both": _share(c["agree_both"], c["linked"]),
        },
        "confusion": confusion,
        "fallback_rate": _share(c["fallbacks"], c["n"]),
        "fallback_reasons": dict(sorted(reasons.items())),
        "latency_ms": {"p50": latency[0] if latency else None, "p95": latency[1] if latency else None},
        "tokens_per_suggestion": {
            "prompt": round(c["prompt"] / usage_n, 1) if usage_n else None,
            "completion": round(c["completion"] / usage_n, 1) if usage_n else None,
            "total": round((c["prompt"] + c["completion"]) / usage_n, 1) if usage_n else None,
        },
    }

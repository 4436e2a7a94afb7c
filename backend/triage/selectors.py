"""Reads: similar past tickets, and how the suggestions fared."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

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
# Scored candidates: the newest tickets holding at least one of the terms.
CANDIDATES = 300
# How long a worker reuses the word frequencies PostgreSQL's ANALYZE gathered.
FREQUENCIES_SECONDS = 600

FULLTEXT = "to_tsvector('english'::regconfig, {p}title || ' ' || {p}description)"

SIMILAR_SQL = f"""
WITH candidates AS MATERIALIZED (
    SELECT id FROM tickets_ticket
    WHERE {FULLTEXT.format(p="")} @@ %(query)s::tsquery
    ORDER BY id DESC
    LIMIT %(candidates)s
)
SELECT t.id, t.title, t.category, t.priority, t.status, t.created_at, t.description,
    (SELECT count(*) FROM unnest(tsvector_to_array({FULLTEXT.format(p="t.")})) AS lexeme(word)
     WHERE word = ANY(%(terms)s))::float8 / %(n)s AS score
FROM candidates JOIN tickets_ticket AS t USING (id)
ORDER BY score DESC, t.id DESC
LIMIT %(limit)s
"""

_frequencies: dict = {"at": 0.0, "values": {}}


def similar_tickets(*, text: str, limit: int = 5, min_score: float = 0.0) -> list[dict]:
    """Up to `limit` past tickets most like `text`, best first, each with a
    `score` in (0, 1]: the share of the text's distinctive words it contains.

    PostgreSQL: English full-text search over title and description through the
    GIN index `ticket_fulltext_idx`. The text's words are reduced to at most
    MAX_TERMS of the rarest (by ANALYZE's word frequencies); the newest
    CANDIDATES tickets holding any of them are scored. The cost is bounded by
    the candidates, not by the size of the table. Elsewhere the newest tickets
    are scored in Python the same way.
    """
    text = text[:SIMILAR_TEXT_MAX_CHARS]
    if connection.vendor == "postgresql":
        rows = _similar_postgresql(text, limit)
    else:
        rows = _similar_scan(text, limit)
    return [row for row in rows if row["score"] > min_score]


def _similar_postgresql(text: str, limit: int) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(lexeme) FROM unnest(to_tsvector('english'::regconfig, %s))", [text])
        words = cursor.fetchone()[0] or []
        terms = _distinctive(words, _word_frequencies(cursor))
        if not terms:
            return []
        cursor.execute(
            SIMILAR_SQL,
            {
                "query": " | ".join(_tsquery_literal(term) for term in terms),
                "terms": terms,
                "n": len(terms),
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


def _tsquery_literal(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


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

GROUP_FIELDS = [
    "source",
    "model",
    "fallback_reason",
    "category",
    "priority",
    "created_category",
    "created_priority",
    "now_category",
    "now_priority",
    "linked",
]


def triage_stats(*, days: int = 30, now: datetime | None = None) -> dict:
    """How the suggestions of the last `days` days fared, overall, by source and
    by model. One grouped query over the suggestions (their tickets' current
    labels are kept on them on PostgreSQL) and one for latency percentiles."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    suggestions = Suggestion.objects.filter(created_at__gte=since).order_by()
    if connection.vendor == "postgresql":
        now_labels = {"now_category": F("current_category"), "now_priority": F("current_priority")}
    else:
        now_labels = {"now_category": F("ticket__category"), "now_priority": F("ticket__priority")}
    groups = list(
        suggestions.annotate(
            **now_labels,
            linked=ExpressionWrapper(Q(ticket__isnull=False), output_field=BooleanField()),
        )
        .values(*GROUP_FIELDS)
        .annotate(
            n=Count("id"),
            usage_n=Count("prompt_tokens"),
            prompt=Sum("prompt_tokens"),
            completion=Sum("completion_tokens"),
        )
    )
    latencies = _latency_percentiles(suggestions, since)
    body = {"days": days, "since": since, **_summary(groups, latencies.get(("all", "")))}
    body["by_source"] = {
        source: _summary([g for g in groups if g["source"] == source], latencies.get(("source", source)))
        for source in Source.values
    }
    models = sorted({g["model"] for g in groups if g["model"]})
    body["by_model"] = {
        model: _summary([g for g in groups if g["model"] == model], latencies.get(("model", model)))
        for model in models
    }
    return body


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(groups: list[dict], latency: tuple[float, float] | None) -> dict:
    total = sum(g["n"] for g in groups)
    created = [g for g in groups if g["created_category"]]
    linked_now = [g for g in groups if g["linked"] and g["now_category"]]
    n_created = sum(g["n"] for g in created)
    n_linked = sum(g["n"] for g in linked_now)

    def agree(rows, category_field, priority_field):
        category = sum(g["n"] for g in rows if g["category"] == g[category_field])
        priority = sum(g["n"] for g in rows if g["priority"] == g[priority_field])
        both = sum(
            g["n"] for g in rows if g["category"] == g[category_field] and g["priority"] == g[priority_field]
        )
        return category, priority, both

    accepted = agree(created, "created_category", "created_priority")
    agreeing = agree(linked_now, "now_category", "now_priority")
    confusion = {
        "category": {s: dict.fromkeys(Category.values, 0) for s in Category.values},
        "priority": {s: dict.fromkeys(Priority.values, 0) for s in Priority.values},
    }
    for g in linked_now:
        if g["now_category"] in Category.values:
            confusion["category"][g["category"]][g["now_category"]] += g["n"]
        if g["now_priority"] in Priority.values:
            confusion["priority"][g["priority"]][g["now_priority"]] += g["n"]
    fallbacks = Counter()
    for g in groups:
        if g["fallback_reason"]:
            fallbacks[g["fallback_reason"]] += g["n"]
    usage_n = sum(g["usage_n"] for g in groups)
    prompt = sum(g["prompt"] or 0 for g in groups)
    completion = sum(g["completion"] or 0 for g in groups)
    return {
        "suggestions": total,
        "tickets_created": n_created,
        "accepted_unchanged": {
            field: _share(value, n_created)
            for field, value in zip(("category", "priority", "both"), accepted, strict=True)
        },
        "agreement_now": {
            field: _share(value, n_linked)
            for field, value in zip(("category", "priority", "both"), agreeing, strict=True)
        },
        "confusion": confusion,
        "fallback_rate": _share(sum(fallbacks.values()), total),
        "fallback_reasons": dict(sorted(fallbacks.items())),
        "latency_ms": {"p50": latency[0] if latency else None, "p95": latency[1] if latency else None},
        "tokens_per_suggestion": {
            "prompt": round(prompt / usage_n, 1) if usage_n else None,
            "completion": round(completion / usage_n, 1) if usage_n else None,
            "total": round((prompt + completion) / usage_n, 1) if usage_n else None,
        },
    }


def _latency_percentiles(suggestions, since: datetime) -> dict[tuple[str, str], tuple[float, float]]:
    """p50 and p95 (linear interpolation, as PostgreSQL's percentile_cont),
    overall, per source and per model."""
    if connection.vendor == "postgresql":
        query = (
            "SELECT GROUPING(source), GROUPING(model), source, model, "
            "percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY latency_ms) "
            f"FROM {Suggestion._meta.db_table} WHERE created_at >= %s "
            "GROUP BY GROUPING SETS ((), (source), (model))"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [since])
            rows = cursor.fetchall()
        result = {}
        for no_source, no_model, source, model, percentiles in rows:
            if percentiles is None:  # no suggestions in the window
                continue
            p50, p95 = percentiles
            key = (
                ("all", "")
                if no_source and no_model
                else ("source", source)
                if no_model
                else ("model", model)
            )
            result[key] = (round(p50, 1), round(p95, 1))
        return result
    values = defaultdict(list)
    for source, model, latency in suggestions.values_list("source", "model", "latency_ms").order_by(
        "latency_ms"
    ):
        values[("all", "")].append(latency)
        values[("source", source)].append(latency)
        values[("model", model)].append(latency)
    return {key: (_percentile(v, 0.5), _percentile(v, 0.95)) for key, v in values.items()}


def _percentile(ordered: list[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 1)

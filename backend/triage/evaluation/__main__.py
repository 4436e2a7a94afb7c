"""python -m triage.evaluation [--fake-llm] [--folds 5] [--check]

Scores three classifiers on the labelled set (labelled_tickets.jsonl, see
GUIDE.md): the configured LLM endpoint (OPENAI_API_KEY, OPENAI_BASE_URL,
OPENAI_MODEL; with and without similar past tickets as examples), the `similar`
classifier (k-fold cross-validation: each fold is classified from the others),
and the defaults as the baseline. Accuracy and macro-F1 per field, confusion
matrices, latency and tokens; JSON and Markdown under bench/results/.

The tickets live in a throwaway database: `<DATABASE_URL's name>_eval` on the
same PostgreSQL server, or a temporary SQLite file without DATABASE_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parent.parent
RESULTS = BACKEND.parent / "bench" / "results"
DATASET = HERE / "labelled_tickets.jsonl"
FIELDS = ("category", "priority")


def load_dataset(path: Path = DATASET) -> list[dict]:
    with path.open() as lines:
        return [json.loads(line) for line in lines if line.strip()]


def folds_of(items: list[dict], k: int) -> list[tuple[list[dict], list[dict]]]:
    """(training, test) pairs: the test fold is every k-th ticket of the set's order."""
    return [
        ([t for i, t in enumerate(items) if i % k != fold], [t for i, t in enumerate(items) if i % k == fold])
        for fold in range(k)
    ]


def metrics(truth: list[str], predicted: list[str], labels: list[str]) -> dict:
    """Accuracy, macro-F1 over the labels present in truth or predictions
    (a label never predicted scores 0), per-label F1 and the confusion matrix
    (true label rows x predicted label columns)."""
    n = len(truth)
    confusion = {t: dict.fromkeys(labels, 0) for t in labels}
    for t, p in zip(truth, predicted, strict=True):
        confusion[t][p] += 1
    per_label = {}
    for label in labels:
        tp = confusion[label][label]
        fp = sum(confusion[t][label] for t in labels) - tp
        fn = sum(confusion[label].values()) - tp
        if tp + fp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        per_label[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    correct = sum(t == p for t, p in zip(truth, predicted, strict=True))
    return {
        "accuracy": round(correct / n, 4) if n else None,
        "macro_f1": round(sum(per_label.values()) / len(per_label), 4) if per_label else None,
        "f1": {label: round(value, 4) for label, value in per_label.items()},
        "confusion": confusion,
    }


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 1)


def score(name: str, items: list[dict], predictions: dict[int, dict], notes: str = "") -> dict:
    from tickets.models import Category, Priority

    labels = {"category": Category.values, "priority": Priority.values}
    rows = [predictions[item["id"]] for item in items]
    result = {"classifier": name, "notes": notes, "tickets": len(items)}
    for field in FIELDS:
        result[field] = metrics([i[field] for i in items], [r[field] for r in rows], labels[field])
    both = sum(
        r["category"] == i["category"] and r["priority"] == i["priority"]
        for i, r in zip(items, rows, strict=True)
    )
    result["both_accuracy"] = round(both / len(items), 4)
    latencies = [r["latency_ms"] for r in rows]
    result["latency_ms"] = {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95)}
    usage = [r for r in rows if r.get("prompt_tokens") is not None]
    result["tokens_per_ticket"] = {
        "prompt": round(sum(r["prompt_tokens"] for r in usage) / len(usage), 1) if usage else None,
        "completion": round(sum(r["completion_tokens"] or 0 for r in usage) / len(usage), 1)
        if usage
        else None,
    }
    result["fallbacks"] = sum(1 for r in rows if r.get("fallback"))
    return result


# --- The database and the classifiers (Django is set up by main) -----------


def load_tickets(tickets: list[dict]) -> None:
    from django.db import connection

    from tickets.models import Ticket
    from triage.selectors import forget_word_frequencies

    Ticket.objects.all().delete()
    Ticket.objects.bulk_create(
        Ticket(title=t["title"], description=t["description"], category=t["category"], priority=t["priority"])
        for t in tickets
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket")
    forget_word_frequencies()


def classify_defaults(items: list[dict]) -> dict[int, dict]:
    from tickets.llm_service import FALLBACK

    return {
        i["id"]: {"category": FALLBACK.category, "priority": FALLBACK.priority, "latency_ms": 0.0}
        for i in items
    }


def classify_similar(folds) -> dict[int, dict]:
    from tickets.llm_service import FALLBACK
    from triage.selectors import similar_tickets, similar_vote
    from triage.services import SIMILAR_MIN_SCORE, SIMILAR_MIN_VOTES, SIMILAR_VOTERS

    predictions = {}
    for training, test in folds:
        load_tickets(training)
        for item in test:
            started = time.perf_counter()
            neighbours = similar_tickets(
                text=item["description"], limit=SIMILAR_VOTERS, min_score=SIMILAR_MIN_SCORE
            )
            vote = similar_vote(neighbours=neighbours, min_votes=SIMILAR_MIN_VOTES)
            elapsed = (time.perf_counter() - started) * 1000
            category, priority = vote or (FALLBACK.category, FALLBACK.priority)
            predictions[item["id"]] = {
                "category": category,
                "priority": priority,
                "latency_ms": elapsed,
                "fallback": vote is None,
            }
    return predictions


def classify_llm(folds, examples: int) -> dict[int, dict]:
    from django.conf import settings

    from tickets import llm_service
    from triage.selectors import similar_tickets
    from triage.services import EXAMPLE_MIN_SCORE

    predictions = {}
    for training, test in folds:
        if examples:
            load_tickets(training)
        for item in test:
            shown = []
            if examples:
                shown = [
                    llm_service.Example(f"{r['title']}\n{r['description']}", r["category"], r["priority"])
                    for r in similar_tickets(
                        text=item["description"], limit=examples, min_score=EXAMPLE_MIN_SCORE
                    )
                ]
            answer = llm_service.classify_description(description=item["description"], examples=shown)
            predictions[item["id"]] = {
                "category": answer.category,
                "priority": answer.priority,
                "latency_ms": answer.latency_ms,
                "prompt_tokens": answer.prompt_tokens,
                "completion_tokens": answer.completion_tokens,
                "fallback": answer.source != "llm",
            }
        if not settings.OPENAI_API_KEY:
            break
    return predictions


# --- Reports ---------------------------------------------------------------


def _fmt(value, digits=3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(report: dict) -> str:
    lines = [
        f"## Triage evaluation ({report['when']}, {report['tickets']} labelled tickets, "
        f"{report['folds']}-fold cross-validation, database: {report['database']})",
        "",
        "| classifier | category accuracy | category macro-F1 | priority accuracy | priority macro-F1 "
        "| both right | latency p50 / p95 ms | tokens per ticket (prompt + completion) | fallbacks |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in report["results"]:
        tokens = r["tokens_per_ticket"]
        token_text = (
            "-" if tokens["prompt"] is None else f"{tokens['prompt']:.0f} + {tokens['completion']:.0f}"
        )
        lines.append(
            f"| {r['classifier']} | {_fmt(r['category']['accuracy'])} | {_fmt(r['category']['macro_f1'])} "
            f"| {_fmt(r['priority']['accuracy'])} | {_fmt(r['priority']['macro_f1'])} "
            f"| {_fmt(r['both_accuracy'])} | {_fmt(r['latency_ms']['p50'], 1)} / "
            f"{_fmt(r['latency_ms']['p95'], 1)} | {token_text} | {r['fallbacks']} |"
        )
    for note in report["skipped"]:
        lines.append(f"\n{note}")
    for r in report["results"]:
        if r["notes"]:
            lines += ["", f"**{r['classifier']}**: {r['notes']}"]
        for field in FIELDS:
            matrix = r[field]["confusion"]
            labels = list(matrix)
            lines += [
                "",
                f"{r['classifier']}, {field} (rows: true label, columns: predicted)",
                "",
                "| | " + " | ".join(labels) + " |",
                "| --- |" + " ---: |" * len(labels),
            ]
            lines += [f"| {t} | " + " | ".join(str(matrix[t][p]) for p in labels) + " |" for t in labels]
    return "\n".join(lines) + "\n"


def _database_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, name = url.rsplit("/", 1)
        name = name.split("?", 1)[0]
        return f"{base}/{name}_eval", f"PostgreSQL {name}_eval"
    path = Path(tempfile.mkdtemp(prefix="triage-eval-")) / "eval.sqlite3"
    return f"sqlite:///{path}", "SQLite (temporary file)"


def _recreate_postgresql(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    base, name = url.rsplit("/", 1)
    conn = psycopg2.connect(f"{base}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m triage.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--fake-llm", action="store_true", help="score the fake OpenAI-compatible server the tests use"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit non-zero unless every ticket was scored and `similar` beats the defaults on category",
    )
    parser.add_argument("--dataset", type=Path, default=DATASET)
    args = parser.parse_args(argv)

    url, database = _database_url()
    if url.startswith("postgres"):
        _recreate_postgresql(url)
    sys.path.insert(0, str(BACKEND))
    os.environ.update({"DATABASE_URL": url, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "ERROR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.CLASSIFY_CACHE_SECONDS = 0  # every ticket reaches the model

    items = load_dataset(args.dataset)
    folds = folds_of(items, args.folds)
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "tickets": len(items),
        "folds": args.folds,
        "database": database,
        "results": [],
        "skipped": [],
    }
    fake = None
    if args.fake_llm:
        from devtools.fake_llm import FakeLLM

        fake = FakeLLM(record=False).start()
        settings.OPENAI_API_KEY = "sk-fake-evaluation"
        settings.OPENAI_BASE_URL = fake.base_url
        settings.OPENAI_MODEL = "fake-keyword-model"
    try:
        report["results"].append(
            score("defaults (baseline)", items, classify_defaults(items), "always general / medium")
        )
        report["results"].append(
            score(
                "similar",
                items,
                classify_similar(folds),
                "a vote of the 7 most similar labelled tickets of the other folds; "
                "the defaults when fewer than 2 are similar enough",
            )
        )
        if settings.OPENAI_API_KEY:
            where = "the fake keyword LLM" if fake else (settings.OPENAI_BASE_URL or "OpenAI")
            for examples in sorted({0, settings.CLASSIFY_EXAMPLES}):
                name = f"llm {settings.OPENAI_MODEL}" + (f" + {examples} examples" if examples else "")
                notes = f"{where}; " + (
                    f"up to {examples} similar tickets of the other folds as examples"
                    if examples
                    else "no examples"
                )
                report["results"].append(score(name, items, classify_llm(folds, examples), notes))
        else:
            report["skipped"].append("LLM: skipped, OPENAI_API_KEY is not set (or use --fake-llm).")
    finally:
        if fake is not None:
            fake.stop()
        if url.startswith("postgres"):
            from django.db import connections

            connections.close_all()
            base, name = url.rsplit("/", 1)
            import psycopg2

            conn = psycopg2.connect(f"{base}/postgres")
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()

    text = markdown(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"eval-triage-{time.strftime('%Y%m%d-%H%M%S')}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2))
    stem.with_suffix(".md").write_text(text)
    print(text)
    print(f"written: {stem}.json and .md")

    if args.check:
        by_name = {r["classifier"]: r for r in report["results"]}
        problems = [
            f"{r['classifier']} scored {r['tickets']} tickets"
            for r in report["results"]
            if r["tickets"] != len(items)
        ]
        similar, baseline = by_name["similar"], by_name["defaults (baseline)"]
        if similar["category"]["macro_f1"] <= baseline["category"]["macro_f1"]:
            problems.append("similar does not beat the defaults on category macro-F1")
        if problems:
            print("FAILED: " + "; ".join(problems), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

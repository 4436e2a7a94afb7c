"""The Markdown report, the goals marked met or missed, and EXPLAIN on request."""


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _goal_met(row, rows_by_name) -> str:
    goal, median = row["goal"], row["api"]["median_ms"]
    if goal == "<= first page + 1 ms":
        first = rows_by_name["first page (cursor, 50)"]["api"]["median_ms"]
        return "met" if median <= first + 1 else "missed"
    if row.get("stopped_by_statement_timeout"):
        return "503 at DB_STATEMENT_TIMEOUT"
    if row.get("refused_past_deepest_offset"):
        return "400: past the deepest offset"
    if goal.startswith("<= ") and goal.endswith(" ms"):
        return "met" if median <= float(goal[3:-3]) else "missed"
    if goal == "<= 1.5x first page":
        first = rows_by_name["first page (cursor, 50)"]["api"]["median_ms"]
        return "met" if median <= 1.5 * first else "missed"
    if goal == "<= 1 sequential scan":
        # Within noise of one serial scan of the table with the same predicate.
        return "met" if median <= 1.3 * row["raw_sql"]["median_ms"] + 5 else "missed"
    return ""


def markdown(result: dict) -> str:
    seeding = result["seeding"]
    lines = [
        f"## N = {result['n']:,} ({result['when']}, {result['machine']['cpus']} CPUs, {result['server']})",
        "",
        f"Seeded {result['n']:,} tickets, {seeding.get('history_rows', 0):,} history entries and "
        f"{seeding.get('comment_rows', 0):,} comments in {seeding['total_seconds']:.1f} s "
        f"({seeding['rows_per_second']:,.0f} rows/s: insert {seeding['insert_seconds']:.1f} s, "
        f"indexes {seeding['index_seconds']:.1f} s, vacuum+analyze {seeding['vacuum_seconds']:.1f} s); "
        f"tables with indexes: {seeding['table_size']}.",
        "",
        "Suggestions: {suggestions:,} over the last {days} days ({last_30_days:,} in the last 30), "
        "{linked:,} linked to tickets.".format(**seeding["triage"])
        if seeding.get("triage")
        else "",
        "",
        "Load average (1, 5, 15 min) at start {} and at end {}: other work on the machine makes "
        "figures noisy when these exceed the CPU count.".format(
            *(
                " / ".join(f"{x:.1f}" for x in result["machine"][key])
                for key in ("load_average_at_start", "load_average_at_end")
            )
        ),
        "",
        "| case | API median ms | API p95 ms | raw SQL median ms | ratio | goal | |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    by_name = {row["case"]: row for row in result["cases"]}
    for row in result["cases"]:
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        note = f" ({row['raw_note']})" if row["raw_note"] else ""
        lines.append(
            f"| {row['case']} | {_ms(row['api']['median_ms'])} | {_ms(row['api']['p95_ms'])} | "
            f"{_ms(row['raw_sql']['median_ms'])}{note} | {ratio} | {row['goal']} | {_goal_met(row, by_name)} |"
        )
    un = result["unpaginated"]
    lines += [
        f"| unpaginated list ({un['bytes'] / 1e6:.0f} MB streamed) | {_ms(un['api']['median_ms'])} | "
        f"{_ms(un['api']['p95_ms'])} | {_ms(un['raw_sql']['median_ms'])} (server-side cursor, all rows) | "
        f"{un['api']['median_ms'] / un['raw_sql']['median_ms']:.2f} | flat worker memory | "
        f"peak RSS {_ms(un['worker_peak_rss_mb_before'])} -> {_ms(un['worker_peak_rss_mb_after'])} MB |",
        "",
        "The unpaginated list's first bytes arrived after "
        + ", ".join(_ms(ms) for ms in un.get("first_byte_ms") or [])
        + " ms (one figure per run).",
        "",
    ]
    queue = result.get("queue")
    if queue:
        for fmt in ("csv", "jsonl"):
            ex = queue[f"export_{fmt}"]
            lines.append(
                f"Export ({fmt}): {ex['rows']:,} rows in {ex['seconds']:.1f} s ({ex['rows_per_second']:,.0f} rows/s, "
                f"{ex['bytes'] / 1e6:.0f} MB); worker peak RSS {_ms(ex['worker_peak_rss_mb_before'])} -> "
                f"{_ms(ex['worker_peak_rss_mb_after'])} MB (goal: 1M rows in at most 15 s, flat memory)."
            )
        lines += [
            f"Bulk change of 10,000 tickets ({case}): {bulk['seconds']:.2f} s, {bulk['history_entries']:,} "
            "history entries (goal: at most 3 s)."
            for case, bulk in queue.get("bulk_10000", {}).items()
        ] + [""]
    if result.get("overhead"):
        lines += [overhead_table(result["overhead"]), ""]
    overhead = result.get("auth_overhead")
    if overhead:
        lines += [
            "First page (keyset, 50) without credentials, with a token and with a session, "
            f"taken in turns ({overhead['open']['runs']} each): medians "
            f"{overhead['open']['median_ms']:.2f} / {overhead['token']['median_ms']:.2f} / "
            f"{overhead['session']['median_ms']:.2f} ms; a token adds {overhead['token']['added_ms']:+.2f} ms, "
            f"a session {overhead['session']['added_ms']:+.2f} ms (goal: at most 1 ms each: "
            f"{'met' if max(overhead['token']['added_ms'], overhead['session']['added_ms']) <= 1 else 'missed'}).",
            "",
        ]
    sv = result["serializer_vs_fast_path"]
    lines += [
        f"Serialization of {sv['rows']:,} rows in one process: TicketSerializer(many=True) "
        f"{sv['serializer_s']:.2f} s, streamed values() path {sv['fast_path_s']:.2f} s "
        f"({sv['speedup']:.1f}x faster), output byte-identical: {sv['identical']}.",
        "",
        "| mixed load | clients | requests/s | p50 ms | p99 ms | errors | goal | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for phase, label in (
        ("mixed", "reads and writes"),
        ("mixed_with_slow_classify", "same, plus classify on a slow LLM (others only)"),
    ):
        t = result["throughput"][phase]
        met = t["requests_per_second"] >= 300 and t["p99_ms"] <= 100 and t["errors"] == 0
        clients = t["clients"] + t.get("classify_clients", 0)
        lines.append(
            f"| {label} | {clients} | {t['requests_per_second']:.0f} | {_ms(t['p50_ms'])} | {_ms(t['p99_ms'])} | "
            f"{t['errors']} | >= 300/s, p99 <= 100 ms, 0 errors | {'met' if met else 'missed'} |"
        )
    open_rate = result["throughput"]["mixed"]["requests_per_second"]
    for phase, label in (
        ("mixed_token", "reads and writes, every request with a token"),
        ("mixed_session", "reads and writes, every request with a session (+ CSRF)"),
    ):
        t = result["throughput"].get(phase)
        if t is None:
            continue
        share = t["requests_per_second"] / open_rate if open_rate else 0
        met = share >= 0.9 and t["errors"] == 0
        lines.append(
            f"| {label} | {t['clients']} | {t['requests_per_second']:.0f} ({share:.0%} of open) | "
            f"{_ms(t['p50_ms'])} | {_ms(t['p99_ms'])} | {t['errors']} | >= 90% of open, 0 errors | "
            f"{'met' if met else 'missed'} |"
        )
    classify = result["throughput"]["mixed_with_slow_classify"]["classify"] or {}
    lines += [
        "",
        f"Classify with the fake LLM answering in {result['llm_delay_seconds']:.1f} s: "
        f"{classify.get('requests', 0)} calls, p50 {_ms(classify.get('p50_ms'))} ms, "
        f"errors {classify.get('errors', 0)}.",
        "",
        "Per request kind under the mixed load with classify (p50 / p99 ms): "
        + ", ".join(
            f"{kind} {_ms(v['p50_ms'])} / {_ms(v['p99_ms'])}"
            for kind, v in result["throughput"]["mixed_with_slow_classify"]["by_kind"].items()
        )
        + ".",
    ]
    if result["failures"]:
        lines += ["", "**Correctness failures:** " + "; ".join(result["failures"])]
    return "\n".join(lines) + "\n"


# Throughput share of the floor's, and the most the sequential median may exceed the floor's.
OVERHEAD_GOALS = {
    "retrieve": 0.35,
    "first keyset page of 50": 0.50,
    "filtered page (category+priority+status)": 0.50,
}
OVERHEAD_MEDIAN_GAP_MS = 1.5


def overhead_table(rows) -> str:
    """The API against the bare WSGI floor (bench/floor.py), same gunicorn settings, same run."""
    client = rows[0]["load_client"] if rows else "wrk"
    rounds = len(rows[0]["api"].get("rounds_requests_per_second", [None])) if rows else 1
    lines = [
        f"The API against the floor (bench/floor.py: psycopg2, the same SQL and the same JSON, json.dumps, "
        f"no framework), same gunicorn settings, throughput with {client} and 16 connections, the median "
        f"of {rounds} rounds in which the two take turns (the share is the median of the rounds' shares):",
        "",
        "| request | mode | floor req/s | floor median ms | API req/s | API median ms | share of the floor "
        "| median gap ms | goal | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        share_goal = OVERHEAD_GOALS.get(row["request"], 0.5)
        if row["mode"] != "API_AUTH=open":
            share_goal = 0.40
        met = row["throughput_share"] >= share_goal and row["median_gap_ms"] <= OVERHEAD_MEDIAN_GAP_MS
        floor, api = row["floor"], row["api"]
        lines.append(
            f"| {row['request']} | {row['mode']} | {floor['requests_per_second']:,.0f} | "
            f"{floor['sequential_median_ms']:.2f} | {api['requests_per_second']:,.0f} | "
            f"{api['sequential_median_ms']:.2f} | {row['throughput_share']:.0%} | {row['median_gap_ms']:+.2f} | "
            f">= {share_goal:.0%}, <= +{OVERHEAD_MEDIAN_GAP_MS} ms | {'met' if met else 'missed'} |"
        )
    return "\n".join(lines)


def explain(conn, rows, orm_sql, threshold_ms: float = 10.0) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each case slower than the threshold, and of
    every search: the raw SQL, and for list cases the SQL the ORM emits."""
    out = []
    for row in rows:
        if row["api"]["median_ms"] < threshold_ms and not row["case"].startswith("search"):
            continue
        if row["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")):
            continue
        queries = [("raw SQL", row["sql"], row["params"])]
        if row.get("list_params"):
            queries.append(("the API's SQL", *orm_sql(row["list_params"])))
        for label, sql, params in queries:
            with conn.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
            out.append(f"-- {row['case']}: {label}\n{plan}\n")
    return "\n".join(out)

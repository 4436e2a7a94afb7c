"""Triage counts kept by the database itself, on PostgreSQL only.

Statistics over a month of suggestions would otherwise read every suggestion
of the month. Statement-level triggers with transition tables keep three small
tallies exact in the same transaction as every write to `triage_suggestion`
(recording, linking, and the label changes migration 0002 copies from tickets),
per UTC day, source, model and fallback reason:

- `triage_tally`: suggestions, tickets created, accepted and agreeing counts,
  token sums;
- `triage_pair_tally`: suggested x current labels of linked suggestions;
- `triage_latency_tally`: suggestions per latency bucket (10% wide).

Rows are changed in key order, so concurrent writers cannot deadlock on them.
"""

from django.db import migrations

KEY = "day, source, model, fallback_reason"
COUNTERS = {
    "suggestions": "sum(sign)",
    "created": "sum(sign) FILTER (WHERE created_category <> '')",
    "accepted_category": "sum(sign) FILTER (WHERE created_category = category)",
    "accepted_priority": "sum(sign) FILTER (WHERE created_priority = priority)",
    "accepted_both": "sum(sign) FILTER (WHERE created_category = category AND created_priority = priority)",
    "linked": "sum(sign) FILTER (WHERE linked)",
    "agree_category": "sum(sign) FILTER (WHERE linked AND current_category = category)",
    "agree_priority": "sum(sign) FILTER (WHERE linked AND current_priority = priority)",
    "agree_both": "sum(sign) FILTER (WHERE linked AND current_category = category AND current_priority = priority)",
    "usage_n": "sum(sign) FILTER (WHERE prompt_tokens IS NOT NULL)",
    "prompt": "sum(sign * coalesce(prompt_tokens, 0))",
    "completion": "sum(sign * coalesce(completion_tokens, 0))",
}
# A latency's bucket: 10% wide; bucket b holds latencies around 1.1^(b + 0.5) - 1 ms.
BUCKET = "floor(ln(1 + greatest(latency_ms, 0)) / ln(1.1))::int"

TABLES = f"""
CREATE TABLE triage_tally (
    day date NOT NULL, source varchar(10) NOT NULL, model varchar(100) NOT NULL,
    fallback_reason varchar(40) NOT NULL,
    {", ".join(f"{name} bigint NOT NULL" for name in COUNTERS)},
    PRIMARY KEY ({KEY})
);
CREATE TABLE triage_pair_tally (
    day date NOT NULL, source varchar(10) NOT NULL, model varchar(100) NOT NULL,
    fallback_reason varchar(40) NOT NULL, field varchar(10) NOT NULL,
    suggested varchar(20) NOT NULL, current varchar(20) NOT NULL, suggestions bigint NOT NULL,
    PRIMARY KEY ({KEY}, field, suggested, current)
);
CREATE TABLE triage_latency_tally (
    day date NOT NULL, source varchar(10) NOT NULL, model varchar(100) NOT NULL,
    fallback_reason varchar(40) NOT NULL, bucket int NOT NULL, suggestions bigint NOT NULL,
    PRIMARY KEY ({KEY}, bucket)
);
"""


def _moves(sources: str) -> str:
    """The changed rows with a sign, their day and whether they are linked now."""
    return f"""
        SELECT (created_at AT TIME ZONE 'UTC')::date AS day, source, model, fallback_reason,
            category, priority, created_category, created_priority, current_category,
            current_priority, prompt_tokens, completion_tokens, latency_ms,
            ticket_id IS NOT NULL AND current_category <> '' AS linked, sign
        FROM ({sources}) AS changed
    """


def _apply(sources: str) -> str:
    moves = _moves(sources)
    counters = ", ".join(COUNTERS)
    sums = ", ".join(f"coalesce({expression}, 0)" for expression in COUNTERS.values())
    updates = ", ".join(f"{name} = triage_tally.{name} + EXCLUDED.{name}" for name in COUNTERS)
    return f"""
    INSERT INTO triage_tally ({KEY}, {counters})
    SELECT {KEY}, {sums} FROM ({moves}) AS m
    GROUP BY {KEY} ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET {updates};

    INSERT INTO triage_pair_tally ({KEY}, field, suggested, current, suggestions)
    SELECT {KEY}, field, suggested, current, sum(sign) FROM (
        SELECT {KEY}, 'category' AS field, category AS suggested, current_category AS current, sign
        FROM ({moves}) AS m WHERE linked
        UNION ALL
        SELECT {KEY}, 'priority', priority, current_priority, sign FROM ({moves}) AS m WHERE linked
    ) AS pairs
    GROUP BY {KEY}, field, suggested, current HAVING sum(sign) <> 0
    ORDER BY {KEY}, field, suggested, current
    ON CONFLICT ({KEY}, field, suggested, current)
    DO UPDATE SET suggestions = triage_pair_tally.suggestions + EXCLUDED.suggestions;

    INSERT INTO triage_latency_tally ({KEY}, bucket, suggestions)
    SELECT {KEY}, {BUCKET} AS bucket, sum(sign) FROM ({moves}) AS m
    GROUP BY {KEY}, bucket HAVING sum(sign) <> 0 ORDER BY {KEY}, bucket
    ON CONFLICT ({KEY}, bucket)
    DO UPDATE SET suggestions = triage_latency_tally.suggestions + EXCLUDED.suggestions;
    """


NEW = "SELECT *, 1 AS sign FROM new_rows"
OLD = "SELECT *, -1 AS sign FROM old_rows"

FUNCTIONS = f"""
CREATE FUNCTION triage_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_apply(NEW)} RETURN NULL; END $$;
CREATE FUNCTION triage_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_apply(OLD)} RETURN NULL; END $$;
CREATE FUNCTION triage_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_apply(f"{NEW} UNION ALL {OLD}")} RETURN NULL; END $$;
CREATE FUNCTION triage_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM triage_tally; DELETE FROM triage_pair_tally; DELETE FROM triage_latency_tally;
RETURN NULL; END $$;

LOCK TABLE triage_suggestion IN SHARE ROW EXCLUSIVE MODE;
DO $$ BEGIN
    CREATE TEMPORARY TABLE new_rows ON COMMIT DROP AS SELECT * FROM triage_suggestion;
    {_apply(NEW)}
END $$;

CREATE TRIGGER triage_tally_insert AFTER INSERT ON triage_suggestion
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION triage_tally_insert();
CREATE TRIGGER triage_tally_update AFTER UPDATE ON triage_suggestion
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_tally_update();
CREATE TRIGGER triage_tally_delete AFTER DELETE ON triage_suggestion
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION triage_tally_delete();
CREATE TRIGGER triage_tally_truncate AFTER TRUNCATE ON triage_suggestion
    FOR EACH STATEMENT EXECUTE FUNCTION triage_tally_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS triage_tally_insert ON triage_suggestion;
DROP TRIGGER IF EXISTS triage_tally_update ON triage_suggestion;
DROP TRIGGER IF EXISTS triage_tally_delete ON triage_suggestion;
DROP TRIGGER IF EXISTS triage_tally_truncate ON triage_suggestion;
DROP FUNCTION IF EXISTS triage_tally_insert(), triage_tally_delete(), triage_tally_update(),
    triage_tally_truncate();
DROP TABLE IF EXISTS triage_tally, triage_pair_tally, triage_latency_tally;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TABLES + FUNCTIONS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("triage", "0002_current_labels_and_fulltext")]

    operations = [migrations.RunPython(create, drop)]

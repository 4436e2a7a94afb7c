"""The statistics' median time to resolve, computed once per change, exactly.

The median sorts the durations of every ticket first resolved in the last 30
days (tens of thousands at a million tickets): 10–50 ms of database time, on a
request that the app refreshes while events arrive. It only changes when a
ticket's `resolved_at` (or the `created_at` of a resolved ticket) changes, or
when a resolution leaves the 30-day window, so it is kept rather than redone:

- `ticket_resolution_version` holds one number that statement triggers raise in
  the same transaction as every write that changes those columns, whatever its
  path (the API, the admin, bulk updates, raw SQL, deletes, truncates);
- `ticket_median_cache` holds the last median with the version and the window
  start it was computed for;
- `ticket_resolve_median(since)` answers the cached median when the version is
  the same and no resolution lies between the cached window start and `since`
  (one index probe): the set of durations is then the same, so the answer is
  the one the full computation would give. Otherwise it computes the median and
  stores it, without waiting on a concurrent reader that is storing its own.

The version is read before the median is computed, so a stored median is never
older than its version. PostgreSQL only; SQLite computes the median each time.
"""

from django.db import migrations

from config.migration_ops import postgresql_sql

CREATE = """
CREATE TABLE ticket_resolution_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO ticket_resolution_version VALUES (1, 0);

CREATE TABLE ticket_median_cache (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint,
    since timestamptz,
    median numeric
);
INSERT INTO ticket_median_cache VALUES (1, NULL, NULL, NULL);

CREATE OR REPLACE FUNCTION ticket_resolution_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        changed := true;
    ELSIF TG_OP = 'INSERT' THEN
        changed := EXISTS (SELECT 1 FROM new_rows WHERE resolved_at IS NOT NULL);
    ELSIF TG_OP = 'DELETE' THEN
        changed := EXISTS (SELECT 1 FROM old_rows WHERE resolved_at IS NOT NULL);
    ELSE
        -- The resolved rows before and after, compared as sets (hashed): a join
        -- of the two transition tables, which have no statistics, can become a
        -- nested loop that takes seconds on a bulk change.
        changed := EXISTS (
            (SELECT id, created_at, resolved_at FROM new_rows WHERE resolved_at IS NOT NULL
             EXCEPT SELECT id, created_at, resolved_at FROM old_rows WHERE resolved_at IS NOT NULL)
            UNION ALL
            (SELECT id, created_at, resolved_at FROM old_rows WHERE resolved_at IS NOT NULL
             EXCEPT SELECT id, created_at, resolved_at FROM new_rows WHERE resolved_at IS NOT NULL));
    END IF;
    IF changed THEN
        UPDATE ticket_resolution_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ticket_resolution_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_resolution_bump();
CREATE TRIGGER ticket_resolution_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_resolution_bump();
CREATE TRIGGER ticket_resolution_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_resolution_bump();
CREATE TRIGGER ticket_resolution_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_resolution_bump();

CREATE OR REPLACE FUNCTION ticket_resolve_median(p_since timestamptz) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    current_version bigint;
    cached ticket_median_cache%ROWTYPE;
    result numeric;
BEGIN
    SELECT version INTO current_version FROM ticket_resolution_version WHERE id = 1;
    SELECT * INTO cached FROM ticket_median_cache WHERE id = 1;
    IF cached.version = current_version AND cached.since <= p_since AND NOT EXISTS (
        SELECT 1 FROM tickets_ticket WHERE resolved_at >= cached.since AND resolved_at < p_since
    ) THEN
        RETURN cached.median;
    END IF;
    SELECT round((percentile_cont(0.5) WITHIN GROUP (
                ORDER BY date_part('epoch', resolved_at) - date_part('epoch', created_at)) / 3600)::numeric, 2)
        INTO result FROM tickets_ticket WHERE resolved_at >= p_since;
    UPDATE ticket_median_cache SET version = current_version, since = p_since, median = result
        WHERE id = (SELECT id FROM ticket_median_cache WHERE id = 1 FOR UPDATE SKIP LOCKED)
          AND (version IS NULL OR version < current_version
               OR (version = current_version AND since < p_since));
    RETURN result;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS ticket_resolve_median(timestamptz);
DROP TRIGGER IF EXISTS ticket_resolution_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_resolution_update ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_resolution_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_resolution_truncate ON tickets_ticket;
DROP FUNCTION IF EXISTS ticket_resolution_bump();
DROP TABLE IF EXISTS ticket_median_cache;
DROP TABLE IF EXISTS ticket_resolution_version;
"""


class Migration(migrations.Migration):
    dependencies = [("tickets", "0008_ticket_priority_order")]

    operations = [postgresql_sql(CREATE, DROP)]

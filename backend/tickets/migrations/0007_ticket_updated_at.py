"""`updated_at` and `resolved_at`, kept by the database on PostgreSQL.

Safe on a large table under load: the columns are added without a default (no
rewrite, an instant catalogue change), the existing rows get `updated_at =
created_at` in short batches (each its own transaction, so no lock is held for
long), and the indexes are built concurrently. `resolved_at` stays null for
tickets resolved before this migration: their first resolution time is unknown.

On PostgreSQL a BEFORE trigger stamps every write, whatever its path (the API,
the admin, bulk updates, raw SQL):
- `updated_at` moves forward on every real change, strictly (at least one
  microsecond past the previous value), so it serves as the ticket's version;
  a writer may set it explicitly to a later value (the services do, so the
  answer carries it without reading the row again);
- `resolved_at` is set once, when the status first moves to resolved or
  closed, and never changed after.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

STAMP = """
CREATE OR REPLACE FUNCTION ticket_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.updated_at := COALESCE(NEW.updated_at, NEW.created_at, now());
        IF NEW.resolved_at IS NULL AND NEW.status IN ('resolved', 'closed') THEN
            NEW.resolved_at := NEW.updated_at;
        END IF;
        RETURN NEW;
    END IF;
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF OLD.updated_at IS NULL THEN
        -- A row from before this migration: the backfill's value is kept.
        NEW.updated_at := COALESCE(NEW.updated_at, now());
    ELSIF NEW.updated_at IS NULL OR NEW.updated_at <= OLD.updated_at THEN
        NEW.updated_at := greatest(now(), OLD.updated_at + interval '1 microsecond');
    END IF;
    NEW.resolved_at := OLD.resolved_at;
    IF OLD.resolved_at IS NULL AND NEW.status IN ('resolved', 'closed')
            AND OLD.status NOT IN ('resolved', 'closed') THEN
        NEW.resolved_at := NEW.updated_at;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER ticket_stamp BEFORE INSERT OR UPDATE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION ticket_stamp();
"""

UNSTAMP = """
DROP TRIGGER IF EXISTS ticket_stamp ON tickets_ticket;
DROP FUNCTION IF EXISTS ticket_stamp();
"""

# Tickets created and first resolved per UTC day, kept exact by statement
# triggers in the same transaction as every write (as ticket_tally is), so
# the statistics' `daily` reads 30 rows. Filled at migration time for the
# recent days only (the statistics read the last 30), under a short lock that
# keeps writers out until the triggers exist.
DAILY = """
CREATE TABLE ticket_daily (
    day date PRIMARY KEY,
    created bigint NOT NULL,
    resolved bigint NOT NULL
);

CREATE OR REPLACE FUNCTION ticket_daily_add(p_day date, p_created bigint, p_resolved bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO ticket_daily AS d (day, created, resolved) VALUES (p_day, p_created, p_resolved)
    ON CONFLICT (day) DO UPDATE SET created = d.created + EXCLUDED.created, resolved = d.resolved + EXCLUDED.resolved
$$;

CREATE OR REPLACE FUNCTION ticket_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ticket_daily;
        RETURN NULL;
    END IF;
    -- Days in order, so that concurrent writers lock them in the same order.
    IF TG_OP = 'INSERT' THEN
        FOR delta IN
            SELECT day, sum(created) AS created, sum(resolved) AS resolved FROM (
                SELECT (created_at AT TIME ZONE 'UTC')::date AS day, 1 AS created, 0 AS resolved FROM new_rows
                UNION ALL
                SELECT (resolved_at AT TIME ZONE 'UTC')::date, 0, 1 FROM new_rows WHERE resolved_at IS NOT NULL
            ) AS moves GROUP BY day ORDER BY day
        LOOP
            PERFORM ticket_daily_add(delta.day, delta.created, delta.resolved);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR delta IN
            SELECT day, sum(created) AS created, sum(resolved) AS resolved FROM (
                SELECT (created_at AT TIME ZONE 'UTC')::date AS day, -1 AS created, 0 AS resolved FROM old_rows
                UNION ALL
                SELECT (resolved_at AT TIME ZONE 'UTC')::date, 0, -1 FROM old_rows WHERE resolved_at IS NOT NULL
            ) AS moves GROUP BY day ORDER BY day
        LOOP
            PERFORM ticket_daily_add(delta.day, delta.created, delta.resolved);
        END LOOP;
    ELSE
        FOR delta IN
            SELECT day, sum(created) AS created, sum(resolved) AS resolved FROM (
                SELECT (n.created_at AT TIME ZONE 'UTC')::date AS day, 1 AS created, 0 AS resolved
                FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id WHERE n.created_at <> o.created_at
                UNION ALL
                SELECT (o.created_at AT TIME ZONE 'UTC')::date, -1, 0
                FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id WHERE n.created_at <> o.created_at
                UNION ALL
                SELECT (n.resolved_at AT TIME ZONE 'UTC')::date, 0, 1
                FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
                WHERE n.resolved_at IS DISTINCT FROM o.resolved_at AND n.resolved_at IS NOT NULL
                UNION ALL
                SELECT (o.resolved_at AT TIME ZONE 'UTC')::date, 0, -1
                FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
                WHERE n.resolved_at IS DISTINCT FROM o.resolved_at AND o.resolved_at IS NOT NULL
            ) AS moves GROUP BY day HAVING sum(created) <> 0 OR sum(resolved) <> 0 ORDER BY day
        LOOP
            PERFORM ticket_daily_add(delta.day, delta.created, delta.resolved);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

LOCK TABLE tickets_ticket IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO ticket_daily (day, created, resolved)
SELECT day, sum(created), sum(resolved) FROM (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, 1 AS created, 0 AS resolved
    FROM tickets_ticket WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '40 days'
    UNION ALL
    SELECT (resolved_at AT TIME ZONE 'UTC')::date, 0, 1
    FROM tickets_ticket WHERE resolved_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '40 days'
) AS recent GROUP BY day;

CREATE TRIGGER ticket_daily_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_apply();
CREATE TRIGGER ticket_daily_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_apply();
CREATE TRIGGER ticket_daily_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_apply();
CREATE TRIGGER ticket_daily_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_daily_apply();
"""

UNDAILY = """
DROP TRIGGER IF EXISTS ticket_daily_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_daily_update ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_daily_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_daily_truncate ON tickets_ticket;
DROP FUNCTION IF EXISTS ticket_daily_apply();
DROP FUNCTION IF EXISTS ticket_daily_add(date, bigint, bigint);
DROP TABLE IF EXISTS ticket_daily;
"""

BATCH = 5000


def create_daily(apps, schema_editor):
    """After the resolved_at index exists: the fill reads the recent rows through it."""
    from django.db import transaction

    if schema_editor.connection.vendor == "postgresql":
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(DAILY)


def drop_daily(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDAILY)


def create_stamp(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STAMP)


def drop_stamp(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNSTAMP)


def backfill_updated_at(apps, schema_editor):
    """updated_at = created_at for the rows that predate the column, BATCH ids
    at a time, each batch committed on its own."""
    from django.db import transaction

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM tickets_ticket")
        low, high = cursor.fetchone()
    if low is None:
        return
    for start in range(low, high + 1, BATCH):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tickets_ticket SET updated_at = created_at "
                "WHERE id >= %s AND id < %s AND updated_at IS NULL",
                [start, start + BATCH],
            )


class AddIndexConcurrentlyWhereSupported(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, a plain CREATE INDEX elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("tickets", "0006_ticket_assignee")]

    operations = [
        migrations.AddField(
            model_name="ticket", name="updated_at", field=models.DateTimeField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="ticket", name="resolved_at", field=models.DateTimeField(editable=False, null=True)
        ),
        migrations.RunPython(create_stamp, drop_stamp),
        migrations.RunPython(backfill_updated_at, migrations.RunPython.noop),
        AddIndexConcurrentlyWhereSupported(
            model_name="ticket",
            index=models.Index(fields=["-updated_at", "-id"], name="ticket_updated_idx"),
        ),
        AddIndexConcurrentlyWhereSupported(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(resolved_at__isnull=False),
                fields=["resolved_at"],
                include=["created_at"],
                name="ticket_resolved_idx",
            ),
        ),
        migrations.RunPython(create_daily, drop_daily),
    ]

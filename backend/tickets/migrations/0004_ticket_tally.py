"""Exact ticket counts kept by the database itself, on PostgreSQL only.

`ticket_tally` holds one row per (category, priority, status) with the number
of tickets in it. Statement-level triggers with transition tables keep it
exact in the same transaction as every write, whatever the write path (the
API, the admin, `bulk_create`, `QuerySet.update`, raw SQL, COPY, TRUNCATE), so
statistics read at most 64 small rows instead of scanning every ticket.
Counters are changed in key order, so concurrent writers cannot deadlock on
them. Other databases compute the statistics from the tickets directly.
"""

from django.db import migrations

CREATE = """
CREATE TABLE ticket_tally (
    category varchar(20) NOT NULL,
    priority varchar(20) NOT NULL,
    status varchar(20) NOT NULL,
    tickets bigint NOT NULL,
    PRIMARY KEY (category, priority, status)
);

CREATE FUNCTION ticket_tally_add(p_category text, p_priority text, p_status text, p_change bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO ticket_tally (category, priority, status, tickets)
    VALUES (p_category, p_priority, p_status, p_change)
    ON CONFLICT (category, priority, status)
    DO UPDATE SET tickets = ticket_tally.tickets + EXCLUDED.tickets
$$;

CREATE FUNCTION ticket_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ticket_tally;
    ELSIF TG_OP = 'INSERT' THEN
        FOR delta IN
            SELECT category, priority, status, count(*) AS change
            FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        LOOP
            PERFORM ticket_tally_add(delta.category, delta.priority, delta.status, delta.change);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR delta IN
            SELECT category, priority, status, -count(*) AS change
            FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        LOOP
            PERFORM ticket_tally_add(delta.category, delta.priority, delta.status, delta.change);
        END LOOP;
    ELSIF TG_OP = 'UPDATE' THEN
        FOR delta IN
            SELECT category, priority, status, sum(change) AS change
            FROM (
                SELECT category, priority, status, 1 AS change FROM new_rows
                UNION ALL
                SELECT category, priority, status, -1 AS change FROM old_rows
            ) AS moves
            GROUP BY 1, 2, 3 HAVING sum(change) <> 0 ORDER BY 1, 2, 3
        LOOP
            PERFORM ticket_tally_add(delta.category, delta.priority, delta.status, delta.change::bigint);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

-- Count what is there already; the lock keeps writers out until the
-- triggers exist, so no write falls between the count and the triggers.
LOCK TABLE tickets_ticket IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO ticket_tally (category, priority, status, tickets)
SELECT category, priority, status, count(*) FROM tickets_ticket GROUP BY 1, 2, 3;

CREATE TRIGGER ticket_tally_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_apply();
CREATE TRIGGER ticket_tally_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_apply();
CREATE TRIGGER ticket_tally_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_apply();
CREATE TRIGGER ticket_tally_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_tally_apply();
"""

DROP = """
DROP TRIGGER IF EXISTS ticket_tally_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_tally_update ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_tally_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_tally_truncate ON tickets_ticket;
DROP FUNCTION IF EXISTS ticket_tally_apply();
DROP FUNCTION IF EXISTS ticket_tally_add(text, text, text, bigint);
DROP TABLE IF EXISTS ticket_tally;
"""


def create_tally(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_tally(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_search_trigram_indexes")]

    operations = [migrations.RunPython(create_tally, drop_tally)]

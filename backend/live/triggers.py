"""The triggers that write the outbox (`live_event`) on every change of a ticket
and every new comment.

Triggers rather than code in the services: every write path is covered (the
API, the admin, `bulk_create`, `QuerySet.update`, management commands, raw SQL)
and the rows are part of the writing transaction, so a rolled-back change
publishes nothing and a committed one is never lost.

PostgreSQL: statement-level triggers with transition tables write one row per
ticket, or a single `reset` event for a statement that touches more than
BULK_EVENT_LIMIT tickets (a bulk import; the app reloads rather than replay a
million events). The columns that changed are found by comparing the old and
new rows as JSON, so a field added to the ticket later is covered without a
new trigger. At commit a deferred trigger numbers the transaction's events
under a lock held until the commit completes, so positions follow commit order,
and sends one NOTIFY to wake the stream servers.

Comments: `comment.created` for each new comment (the same statement-level
shape; a statement adding more than BULK_EVENT_LIMIT comments writes one
`reset`). Edits and deletes of comments are not published: the API has none.

SQLite (`make run` without DATABASE_URL): row-level triggers write the same
rows; SQLite commits one writer at a time, so the row id is the position.
"""

from django.apps import apps as global_apps
from django.db import connections

BULK_EVENT_LIMIT = 1000
NOTIFY_CHANNEL = "live_event"
# pg_advisory_xact_lock key that orders the numbering of events ("live").
NUMBERING_LOCK = 0x6C697665

POSTGRESQL_CREATE = f"""
ALTER TABLE live_event ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE live_event ALTER COLUMN detail SET DEFAULT '{{}}'::jsonb;
CREATE INDEX live_event_unnumbered ON live_event (txid) WHERE position IS NULL;
CREATE SEQUENCE live_event_position_seq;

-- One row per transaction that wrote events; its deferred trigger runs at commit.
CREATE TABLE live_event_commit (txid xid8 PRIMARY KEY);

CREATE FUNCTION live_event_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_event_commit (txid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION live_event_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Held until the commit has completed: the next transaction numbers its
    -- events only after these are visible, so positions follow commit order.
    PERFORM pg_advisory_xact_lock({NUMBERING_LOCK});
    UPDATE live_event AS e
    SET position = numbered.position, created_at = clock_timestamp()
    FROM (
        SELECT id, nextval('live_event_position_seq') AS position
        FROM (SELECT id FROM live_event WHERE txid = NEW.txid AND position IS NULL ORDER BY id) AS pending
    ) AS numbered
    WHERE e.id = numbered.id;
    DELETE FROM live_event_commit WHERE txid = NEW.txid;
    PERFORM pg_notify('{NOTIFY_CHANNEL}', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER live_event_mark AFTER INSERT ON live_event
    FOR EACH STATEMENT EXECUTE FUNCTION live_event_mark();
CREATE CONSTRAINT TRIGGER live_event_number AFTER INSERT ON live_event_commit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION live_event_number();

CREATE FUNCTION live_ticket_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO live_event (kind, detail) VALUES ('reset', '{{"reason": "tickets_replaced"}}');
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT count(*) INTO touched FROM old_rows;
    ELSE
        SELECT count(*) INTO touched FROM new_rows;
    END IF;
    IF touched = 0 THEN
        RETURN NULL;
    ELSIF touched > {BULK_EVENT_LIMIT} THEN
        INSERT INTO live_event (kind, detail)
        VALUES ('reset', jsonb_build_object('reason', 'bulk_change', 'tickets', touched));
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO live_event (kind, subject_id) SELECT 'ticket.created', id FROM new_rows ORDER BY id;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO live_event (kind, subject_id, detail)
        SELECT 'ticket.updated', n.id, jsonb_build_object('changed', to_jsonb(changes.columns))
        FROM new_rows AS n
        JOIN old_rows AS o ON o.id = n.id
        CROSS JOIN LATERAL (
            SELECT array_agg(field.key ORDER BY field.key) AS columns
            FROM jsonb_each(to_jsonb(n)) AS field
            WHERE field.value IS DISTINCT FROM to_jsonb(o) -> field.key
        ) AS changes
        WHERE changes.columns IS NOT NULL
        ORDER BY n.id;
    ELSE
        INSERT INTO live_event (kind, subject_id) SELECT 'ticket.deleted', id FROM old_rows ORDER BY id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER live_ticket_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_ticket_events();
CREATE TRIGGER live_ticket_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_ticket_events();
CREATE TRIGGER live_ticket_delete AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION live_ticket_events();
CREATE TRIGGER live_ticket_truncate AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION live_ticket_events();
"""

POSTGRESQL_COMMENTS_CREATE = f"""
CREATE FUNCTION live_comment_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added bigint;
BEGIN
    SELECT count(*) INTO added FROM new_rows;
    IF added = 0 THEN
        RETURN NULL;
    ELSIF added > {BULK_EVENT_LIMIT} THEN
        INSERT INTO live_event (kind, detail)
        VALUES ('reset', jsonb_build_object('reason', 'bulk_change', 'comments', added));
    ELSE
        INSERT INTO live_event (kind, subject_id) SELECT 'comment.created', id FROM new_rows ORDER BY id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER live_comment_insert AFTER INSERT ON comments_comment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_comment_events();
"""

POSTGRESQL_COMMENTS_DROP = """
DROP TRIGGER IF EXISTS live_comment_insert ON comments_comment;
DROP FUNCTION IF EXISTS live_comment_events();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS live_ticket_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS live_ticket_update ON tickets_ticket;
DROP TRIGGER IF EXISTS live_ticket_delete ON tickets_ticket;
DROP TRIGGER IF EXISTS live_ticket_truncate ON tickets_ticket;
DROP FUNCTION IF EXISTS live_ticket_events();
DROP TABLE IF EXISTS live_event_commit;
DROP FUNCTION IF EXISTS live_event_number();
DROP TRIGGER IF EXISTS live_event_mark ON live_event;
DROP FUNCTION IF EXISTS live_event_mark();
DROP SEQUENCE IF EXISTS live_event_position_seq;
DROP INDEX IF EXISTS live_event_unnumbered;
ALTER TABLE live_event DROP COLUMN IF EXISTS txid;
"""

SQLITE_TRIGGERS = (
    "live_event_number",
    "live_ticket_insert",
    "live_ticket_update",
    "live_ticket_delete",
    "live_comment_insert",
)
SQLITE_NOW = "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')"


def sqlite_trigger_sql(ticket_table: str, columns: list[str]) -> list[str]:
    """Row-level triggers for SQLite, naming each of the ticket's columns."""
    changed = " UNION ALL ".join(
        f'SELECT \'{column}\' AS name WHERE NEW."{column}" IS NOT OLD."{column}"' for column in columns
    )
    differs = " OR ".join(f'NEW."{column}" IS NOT OLD."{column}"' for column in columns)
    insert = "INSERT INTO live_event (kind, subject_id, detail, created_at) VALUES"
    return [
        "CREATE TRIGGER live_event_number AFTER INSERT ON live_event WHEN NEW.position IS NULL "
        "BEGIN UPDATE live_event SET position = NEW.id WHERE id = NEW.id; END",
        f'CREATE TRIGGER live_ticket_insert AFTER INSERT ON "{ticket_table}" '
        f"BEGIN {insert} ('ticket.created', NEW.id, '{{}}', {SQLITE_NOW}); END",
        f'CREATE TRIGGER live_ticket_update AFTER UPDATE ON "{ticket_table}" WHEN {differs} '
        f"BEGIN {insert} ('ticket.updated', NEW.id, json_object('changed', "
        f"(SELECT json_group_array(name) FROM (SELECT name FROM ({changed}) ORDER BY name))), {SQLITE_NOW}); END",
        f'CREATE TRIGGER live_ticket_delete AFTER DELETE ON "{ticket_table}" '
        f"BEGIN {insert} ('ticket.deleted', OLD.id, '{{}}', {SQLITE_NOW}); END",
    ]


def sqlite_comment_trigger_sql(comment_table: str) -> str:
    return (
        f'CREATE TRIGGER live_comment_insert AFTER INSERT ON "{comment_table}" '
        "BEGIN INSERT INTO live_event (kind, subject_id, detail, created_at) "
        f"VALUES ('comment.created', NEW.id, '{{}}', {SQLITE_NOW}); END"
    )


def install_sqlite_triggers(sender=None, using="default", apps=global_apps, **kwargs):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    try:
        ticket = apps.get_model("tickets", "Ticket")
        apps.get_model("live", "Event")
    except LookupError:
        return
    tables = connection.introspection.table_names()
    if ticket._meta.db_table not in tables or "live_event" not in tables:
        return
    columns = [field.column for field in ticket._meta.concrete_fields]
    statements = sqlite_trigger_sql(ticket._meta.db_table, columns)
    try:
        comment_table = apps.get_model("comments", "Comment")._meta.db_table
    except LookupError:
        comment_table = None
    if comment_table in tables:
        statements.append(sqlite_comment_trigger_sql(comment_table))
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in statements:
            cursor.execute(statement)


def install_postgresql_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)


def drop_postgresql_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)


def install_postgresql_comment_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_COMMENTS_CREATE)


def drop_postgresql_comment_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_COMMENTS_DROP)

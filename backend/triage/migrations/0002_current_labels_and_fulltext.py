"""PostgreSQL only: a suggestion follows its ticket, and a full-text index.

A row trigger copies a ticket's category and priority onto its suggestion
whenever either changes, whatever the write path (the API, the admin, bulk
updates, raw SQL), so triage statistics read the suggestions alone; deleting or
truncating tickets clears the links (the link has no foreign-key constraint, so
the tickets table carries no referential triggers). SQLite reads the ticket's
labels through a join instead.

`ticket_fulltext_idx` indexes the English text search vector of title and
description: similar tickets are found through it (see triage/selectors.py).
"""

from django.db import migrations

from config.migration_ops import postgresql_sql

FULLTEXT_EXPRESSION = "to_tsvector('english'::regconfig, title || ' ' || description)"

CREATE = """
CREATE FUNCTION triage_follow_ticket_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE triage_suggestion
    SET current_category = NEW.category, current_priority = NEW.priority
    WHERE ticket_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER triage_follow_ticket_labels AFTER UPDATE OF category, priority ON tickets_ticket
    FOR EACH ROW
    WHEN (OLD.category IS DISTINCT FROM NEW.category OR OLD.priority IS DISTINCT FROM NEW.priority)
    EXECUTE FUNCTION triage_follow_ticket_labels();
CREATE FUNCTION triage_unlink_deleted_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE triage_suggestion SET ticket_id = NULL WHERE ticket_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END
$$;
CREATE FUNCTION triage_unlink_all_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE triage_suggestion SET ticket_id = NULL WHERE ticket_id IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER triage_unlink_deleted_tickets AFTER DELETE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION triage_unlink_deleted_tickets();
CREATE TRIGGER triage_unlink_all_tickets AFTER TRUNCATE ON tickets_ticket
    FOR EACH STATEMENT EXECUTE FUNCTION triage_unlink_all_tickets();
"""

# Built concurrently, outside the migration's transaction: a plain CREATE INDEX
# would keep every write to the tickets waiting for the whole build (about 30 s
# at a million tickets).
CREATE_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS ticket_fulltext_idx "
    f"ON tickets_ticket USING gin ({FULLTEXT_EXPRESSION})"
)
DROP_INDEX = "DROP INDEX CONCURRENTLY IF EXISTS ticket_fulltext_idx"

DROP = """
DROP TRIGGER IF EXISTS triage_follow_ticket_labels ON tickets_ticket;
DROP TRIGGER IF EXISTS triage_unlink_deleted_tickets ON tickets_ticket;
DROP TRIGGER IF EXISTS triage_unlink_all_tickets ON tickets_ticket;
DROP FUNCTION IF EXISTS triage_unlink_deleted_tickets(), triage_unlink_all_tickets();
DROP FUNCTION IF EXISTS triage_follow_ticket_labels();
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("triage", "0001_suggestion"), ("tickets", "0004_ticket_tally")]

    operations = [
        postgresql_sql(CREATE, DROP, atomic=True),
        postgresql_sql(CREATE_INDEX, DROP_INDEX, atomic=False),
    ]

"""PostgreSQL only: a suggestion follows its ticket's labels, once per statement.

Migration 0002's row trigger ran one UPDATE of `triage_suggestion` per changed
ticket, and each of those fired the tally triggers of migration 0003: a bulk
change of 10,000 tickets spent seconds there. This statement-level trigger
reads the updated tickets from the transition table the other ticket triggers
already collect, and in one UPDATE copies the category and priority of those
whose suggestion holds other labels (the suggestion holds the ticket's labels
from its link on, so these are the tickets whose labels changed). A statement
that changes no suggestion writes nothing, so the tally triggers do not run.
"""

from django.db import migrations

CREATE = """
DROP TRIGGER IF EXISTS triage_follow_ticket_labels ON tickets_ticket;
DROP FUNCTION IF EXISTS triage_follow_ticket_labels();
CREATE FUNCTION triage_follow_ticket_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM new_rows n
        JOIN triage_suggestion s ON s.ticket_id = n.id
        WHERE s.current_category IS DISTINCT FROM n.category OR s.current_priority IS DISTINCT FROM n.priority
    ) THEN
        UPDATE triage_suggestion s
        SET current_category = n.category, current_priority = n.priority
        FROM new_rows n
        WHERE s.ticket_id = n.id
            AND (s.current_category IS DISTINCT FROM n.category OR s.current_priority IS DISTINCT FROM n.priority);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER triage_follow_ticket_labels AFTER UPDATE ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_follow_ticket_labels();
"""

# Migration 0002's row trigger, as it was.
DROP = """
DROP TRIGGER IF EXISTS triage_follow_ticket_labels ON tickets_ticket;
DROP FUNCTION IF EXISTS triage_follow_ticket_labels();
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
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("triage", "0003_triage_tally")]

    operations = [migrations.RunPython(create, drop)]

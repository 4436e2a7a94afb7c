"""Ticket history, written by PostgreSQL itself.

Statement-level triggers with transition tables on tickets_ticket add one
entry per inserted or changed ticket, in the same transaction as the write and
whatever its path (the API, the admin, bulk updates, raw SQL, COPY). They
compare the old and new rows as JSON, so every column is covered, including
ones added later (a foreign key `x_id` is recorded as `x`); only the
bookkeeping columns are left out. Who wrote and through what come from two
transaction-local settings, `tickets.actor_id` and `tickets.via`, which the
services set with `set_config(..., true)` (they vanish at commit, so they work
behind a transaction-pooling PgBouncer); a write that sets neither is
recorded as `system` with no actor.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Columns that are not the ticket's content.
IGNORED = "ARRAY['id', 'created_at', 'updated_at', 'resolved_at']"

RECORD = f"""
CREATE OR REPLACE FUNCTION ticket_history_field(column_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT regexp_replace(column_name, '_id$', '') $$;

CREATE OR REPLACE FUNCTION ticket_history_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_actor bigint := NULLIF(current_setting('tickets.actor_id', true), '')::bigint;
    v_via text := COALESCE(NULLIF(current_setting('tickets.via', true), ''), 'system');
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO history_ticketchange (ticket_id, at, actor_id, via, changes)
        SELECT n.id, COALESCE(n.updated_at, now()), v_actor, v_via, d.changes
        FROM new_rows AS n
        CROSS JOIN LATERAL (
            SELECT COALESCE(jsonb_object_agg(ticket_history_field(f.key), jsonb_build_array(NULL, f.value)), '{{}}')
                AS changes
            FROM jsonb_each(to_jsonb(n)) AS f
            WHERE f.key <> ALL ({IGNORED}) AND f.value <> 'null'::jsonb
        ) AS d
        ORDER BY n.id;
    ELSE
        INSERT INTO history_ticketchange (ticket_id, at, actor_id, via, changes)
        SELECT n.id, COALESCE(n.updated_at, now()), v_actor, v_via, d.changes
        FROM new_rows AS n
        JOIN old_rows AS o ON o.id = n.id
        CROSS JOIN LATERAL (
            SELECT jsonb_object_agg(ticket_history_field(f.key), jsonb_build_array(to_jsonb(o) -> f.key, f.value))
                AS changes
            FROM jsonb_each(to_jsonb(n)) AS f
            WHERE f.key <> ALL ({IGNORED}) AND (to_jsonb(o) -> f.key) IS DISTINCT FROM f.value
        ) AS d
        WHERE d.changes IS NOT NULL
        ORDER BY n.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ticket_history_insert AFTER INSERT ON tickets_ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_history_record();
CREATE TRIGGER ticket_history_update AFTER UPDATE ON tickets_ticket
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_history_record();
"""

UNRECORD = """
DROP TRIGGER IF EXISTS ticket_history_insert ON tickets_ticket;
DROP TRIGGER IF EXISTS ticket_history_update ON tickets_ticket;
DROP FUNCTION IF EXISTS ticket_history_record();
DROP FUNCTION IF EXISTS ticket_history_field(text);
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RECORD)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNRECORD)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("tickets", "0007_ticket_updated_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "via",
                    models.CharField(
                        choices=[
                            ("api", "API"),
                            ("admin", "Admin"),
                            ("bulk", "Bulk update"),
                            ("system", "System"),
                        ],
                        max_length=10,
                    ),
                ),
                ("changes", models.JSONField()),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ticket",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="changes",
                        to="tickets.ticket",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["ticket", "id"], name="ticket_change_ticket_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("via__in", ["api", "admin", "bulk", "system"])),
                        name="ticket_change_via_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

"""Trigram indexes for search, on PostgreSQL only.

Search is `icontains`, which Django emits on PostgreSQL as
`UPPER(column::text) LIKE UPPER('%term%')`. GIN indexes over exactly
`UPPER(column)` with `gin_trgm_ops` answer that for terms of 3 or more
characters. SQLite has neither GIN nor pg_trgm and searches by scanning.
"""

from django.db import migrations

INDEXES = {
    "ticket_title_trgm_idx": "title",
    "ticket_description_trgm_idx": "description",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_cache_table")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]

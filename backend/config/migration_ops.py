"""Operations shared by migrations."""

from django.db import migrations


def postgresql_sql(forward: str, backward: str, *, atomic: bool | None = None) -> migrations.RunPython:
    """Run `forward` (and `backward` when unapplied) on PostgreSQL only; the
    SQL goes as written, `%` signs included. SQLite has no such objects.
    `atomic=False` in a non-atomic migration runs it outside a transaction
    (as `CREATE INDEX CONCURRENTLY` must be)."""

    def run(sql):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql, params=None)

        return operation

    return migrations.RunPython(run(forward), run(backward), atomic=atomic)

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


def join_transition_tables_by_hash(function: str) -> migrations.RunPython:
    """Keep PostgreSQL from joining a statement trigger's `old_rows` and
    `new_rows` with a nested loop.

    PL/pgSQL plans each statement of a function once per connection and keeps
    the plan; a statement that names no variable keeps the first plan for
    good. A transition table has no statistics: the planner takes the size it
    has the first time, one row after a single-ticket write, and joins the old
    and new rows by scanning one of them for each row of the other. A bulk
    change of 10,000 tickets on a connection that wrote one ticket before
    then compares 10^8 pairs (over 30 s). Without nested loops the join is a
    hash join, linear in the rows whatever their count; the function's
    lateral `jsonb_each` stays a nested loop, the only way to run it, and the
    function's statements read no other table that an index lookup would
    serve better. That one nested loop then counts as very costly (the planner
    adds a fixed penalty to a path it was told to avoid), which would make
    every write compile its plan (JIT, about 120 ms a statement): JIT is off
    in these functions, whose statements read at most the rows of one change."""
    return postgresql_sql(
        f"ALTER FUNCTION {function}() SET enable_nestloop = off SET jit = off",
        f"ALTER FUNCTION {function}() RESET enable_nestloop RESET jit",
    )

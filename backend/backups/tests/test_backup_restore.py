"""A backup taken while writes go on restores into a fresh database with every
row of every table identical to the dump's snapshot (checksums per table, so
tables added later are covered without changing this test), and the restore
refuses a database that is not empty."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from devtools.db import database_url
from devtools.live import BACKEND_DIR
from devtools.markers import requires_postgresql
from tickets.services import ticket_create, ticket_update

pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BACKEND_DIR,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def table_checksums(cursor) -> dict[str, tuple[int, str]]:
    """(rows, md5 of every row's text in order) for each table of the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    result = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            ).format(sql.Identifier(table))
        )
        result[table] = cursor.fetchone()
    return result


def fill(count: int) -> None:
    for n in range(count):
        ticket = ticket_create(
            title=f"Ticket {n}", description=f"Body {n} \u00e9\u4e2d", category="billing", priority="high"
        )
        if n % 3 == 0:
            ticket_update(ticket=ticket, data={"status": "closed"})


@pytest.fixture
def fresh_database():
    admin = psycopg2.connect(database_url({**connection.settings_dict, "NAME": "postgres"}))
    admin.autocommit = True
    name = f"{connection.settings_dict['NAME']}_restored"
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url({**connection.settings_dict, "NAME": name})
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin.close()


@requires_postgresql
def test_a_backup_taken_during_writes_restores_every_table_as_of_its_snapshot(tmp_path, fresh_database):
    fill(300)
    source_url = database_url(connection.settings_dict)
    stop, written = threading.Event(), []

    def writer():
        conn = psycopg2.connect(source_url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    "INSERT INTO tickets_ticket (title, description, category, priority, status, created_at) "
                    "VALUES ('During the dump', 'Written while pg_dump ran', 'technical', 'low', 'open', now()) "
                    "RETURNING id"
                )
                cursor.execute(
                    "UPDATE tickets_ticket SET status = 'resolved' WHERE id = %s", [cursor.fetchone()[0] - 1]
                )
                written.append(1)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:
            stop.wait(0.01)
        # A reader holding the snapshot the dump uses: what it sees is what the
        # restore must hold, whatever is written meanwhile.
        reader = psycopg2.connect(source_url)
        reader.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with reader.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            expected = table_checksums(cursor)
            before = len(written)
            backup = manage(
                "backup_database",
                "--directory",
                str(tmp_path),
                "--database-url",
                source_url,
                "--snapshot",
                snapshot,
            )
            during = len(written) - before
        reader.rollback()
        reader.close()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.suffix == ".dump"

    restore = manage("restore_database", str(dump), "--database-url", fresh_database)
    assert restore.returncode == 0, restore.stderr

    restored = psycopg2.connect(fresh_database)
    with restored.cursor() as cursor:
        got = table_checksums(cursor)
        cursor.execute("SELECT coalesce(sum(tickets), 0) FROM ticket_tally")
        tally = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        tickets = cursor.fetchone()[0]
    restored.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        now = cursor.fetchone()[0]

    print(
        f"\nbackup/restore: {len(expected)} tables, {expected['tickets_ticket'][0]} tickets in the snapshot, "
        f"{during} writes during the dump, {now} tickets in the source at the end; restored identical"
    )
    assert during > 0, "writes went on while the dump ran"
    assert now > expected["tickets_ticket"][0]
    assert got == expected
    assert tally == tickets, "the restore counted its own rows in the tally a second time"


@requires_postgresql
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(tmp_path, fresh_database):
    fill(5)
    source_url = database_url(connection.settings_dict)
    backup = manage("backup_database", "--directory", str(tmp_path), "--database-url", source_url)
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip()
    assert manage("restore_database", dump, "--database-url", fresh_database).returncode == 0

    again = manage("restore_database", dump, "--database-url", fresh_database)
    assert again.returncode != 0
    assert "is not empty" in again.stderr and "--force" in again.stderr

    forced = manage("restore_database", dump, "--database-url", fresh_database, "--force")
    assert forced.returncode == 0, forced.stderr
    conn = psycopg2.connect(fresh_database)
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*), (SELECT sum(tickets) FROM ticket_tally) FROM tickets_ticket")
        assert cursor.fetchone() == (5, 5)
    conn.close()


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    source = tmp_path / "source.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{source}", "DATABASE_DIRECT_URL": ""}
    assert manage("migrate", "--noinput", env=env).returncode == 0
    created = manage("seed_tickets", "--count", "40", env=env)
    assert created.returncode == 0, created.stderr
    backup = manage("backup_database", "--directory", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr

    target = tmp_path / "restored.sqlite3"
    restore = manage(
        "restore_database", backup.stdout.strip(), env={**env, "DATABASE_URL": f"sqlite:///{target}"}
    )
    assert restore.returncode == 0, restore.stderr
    refused = manage(
        "restore_database", backup.stdout.strip(), env={**env, "DATABASE_URL": f"sqlite:///{target}"}
    )
    assert refused.returncode != 0 and "not empty" in refused.stderr

    import sqlite3

    def rows(path):
        with sqlite3.connect(path) as conn:
            tables = [
                r[0]
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ]
            return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}

    assert rows(source) == rows(target)
    assert len(rows(target)["tickets_ticket"]) == 40

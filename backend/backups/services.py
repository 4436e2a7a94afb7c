"""Backup and restore of the whole database.

PostgreSQL: `pg_dump` in custom format, one consistent snapshot however many
writes go on meanwhile; `pg_restore` into an empty database. Triggers (the
statistics tally, and any others) are created after the data is loaded, so a
restore does not count the rows it loads a second time. SQLite: the online
backup API, page by page under a read lock, consistent as well.

Both connect directly (DATABASE_DIRECT_URL when set): pg_dump and pg_restore
set session state, which PgBouncer's transaction pooling does not keep.
"""

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
from django.conf import settings


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _database(url: str | None) -> dict:
    url = url or settings.DATABASE_DIRECT_URL
    if url:
        return dj_database_url.parse(url)
    return settings.DATABASES["default"]


def _is_postgresql(db: dict) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def _libpq_env(db: dict) -> dict:
    """Connection settings for pg_dump / pg_restore in their environment, so
    the password never appears on a command line (visible to `ps`)."""
    import os

    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools (postgresql-client).")
    return path


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def database_backup(*, directory: Path, url: str | None = None, snapshot: str | None = None) -> Path:
    """Write a dump of the database to `directory`, named with its UTC time."""
    db = _database(url)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = Path(str(db["NAME"])).stem
    if _is_postgresql(db):
        target = directory / f"{name}-{stamp}.dump"
        args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
        if snapshot:
            args += ["--snapshot", snapshot]
        _run(args, _libpq_env(db))
        return target
    target = directory / f"{name}-{stamp}.sqlite3"
    source = sqlite3.connect(str(db["NAME"]))
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target


def _postgresql_tables(db: dict) -> list[str]:
    import psycopg2

    conn = psycopg2.connect(**_psycopg_kwargs(db))
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        conn.close()


def _psycopg_kwargs(db: dict) -> dict:
    keys = {"NAME": "dbname", "HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    return {name: db[key] for key, name in keys.items() if db.get(key)}


def _empty_public_schema(db: dict) -> None:
    import psycopg2

    conn = psycopg2.connect(**_psycopg_kwargs(db))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        conn.close()


def database_restore(*, path: Path, url: str | None = None, force: bool = False) -> None:
    """Restore a dump made by database_backup into the database, which must be
    empty (no tables) unless `force`, which first deletes everything in it."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    db = _database(url)
    if _is_postgresql(db):
        tables = _postgresql_tables(db)
        if tables and not force:
            raise BackupError(
                f"The database {db['NAME']} is not empty ({len(tables)} tables); restore into an empty "
                "database, or pass --force to replace everything in it."
            )
        if tables:
            _empty_public_schema(db)
        # One transaction: a restore that fails leaves the database as it was.
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(db["NAME"]),
                str(path),
            ],
            _libpq_env(db),
        )
        return
    target = Path(str(db["NAME"]))
    if target.exists():
        with sqlite3.connect(str(target)) as probe:
            tables = probe.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables and not force:
            raise BackupError(
                f"The database {target} is not empty ({tables} tables); pass --force to replace it."
            )
    source = sqlite3.connect(str(path))
    destination = sqlite3.connect(str(target))
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()

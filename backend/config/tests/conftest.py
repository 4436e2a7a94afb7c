"""Fixtures of the deployment tests: databases created and dropped for one test."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg2
import pytest
from dj_database_url import parse
from psycopg2 import sql

from .support import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (CI sets it)")
    return url


@pytest.fixture
def empty_postgres_database():
    """A new, empty database on the PostgreSQL server of DATABASE_URL, named
    after it (tickets_ci -> tickets_ci_entrypoint); its URL."""
    url = _server_url()
    config = parse(url)
    name = f"{config['NAME']}_entrypoint"
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True

    def drop():
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    drop()
    with admin.cursor() as cur:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield url.rsplit("/", 1)[0].split("?")[0] + f"/{name}"
    drop()
    admin.close()


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port,
    started and stopped by the test (never the shared server)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run(self._as_owner + list(args), check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        if self._as_owner:
            shutil.chown(self.directory, "postgres")
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "--no-instructions",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def throwaway_postgres():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"needs PostgreSQL 15 server binaries in {PG_BIN}")
    directory = Path(tempfile.mkdtemp(prefix="tickets-pg-"))
    cluster = ThrowawayPostgres(directory)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)

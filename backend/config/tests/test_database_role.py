"""The API connects as the database's owner, not a superuser: the compose
database's init script (db/init) creates that role on a fresh cluster, and the
migrations and the API's own work run as it."""

import shutil
import subprocess
import sys

import pytest

from devtools.live import ThrowawayPostgres

from .support import BACKEND_DIR, REPO_DIR, process_env

INIT_SCRIPT = REPO_DIR / "db" / "init" / "10-app-role.sh"
PSQL = shutil.which("psql")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not INIT_SCRIPT.exists(), reason="the repository root is not here"),
    pytest.mark.skipif(PSQL is None, reason="psql is not installed"),
]


def test_migrations_and_the_tally_work_as_an_owner_role_that_is_not_a_superuser():
    with ThrowawayPostgres() as pg:
        server = {"PGHOST": "127.0.0.1", "PGPORT": str(pg.port)}

        def psql(sql, user="postgres", database="postgres"):
            result = subprocess.run(
                [PSQL, "-U", user, "-d", database, "-tAc", sql],
                env=process_env(**server),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            return result.stdout.strip()

        psql("CREATE DATABASE ticketdb")
        init = subprocess.run(
            ["bash", str(INIT_SCRIPT)],
            env=process_env(
                POSTGRES_USER="postgres",
                POSTGRES_DB="ticketdb",
                APP_DB_USER="ticket_app",
                APP_DB_PASSWORD="app-password",
                **server,
            ),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert init.returncode == 0, init.stderr

        url = f"postgresql://ticket_app:app-password@127.0.0.1:{pg.port}/ticketdb"
        for command in (["migrate", "--noinput"], ["reconcile_tally", "--check"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=BACKEND_DIR,
                env=process_env(DATABASE_URL=url),
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert result.returncode == 0, result.stdout + result.stderr

        assert psql("SELECT rolsuper FROM pg_roles WHERE rolname = 'ticket_app'") == "f"
        assert (
            psql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'ticketdb'") == "ticket_app"
        )
        assert psql("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'", database="ticketdb") == "1"
        assert psql(
            "SELECT tableowner FROM pg_tables WHERE tablename = 'tickets_ticket'", database="ticketdb"
        ) == ("ticket_app")

"""backend/entrypoint.sh, run natively as the container runs it: wait for the
database, migrate, collect static files, then exec the server."""

import json
import re
import secrets
import subprocess
import urllib.request

from devtools.live import free_port, http

from .support import ENTRYPOINT, process_env, start, stop, wait_for_http, wait_for_text


def run_entrypoint(*command: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENTRYPOINT), *command], env=process_env(**env), capture_output=True, text=True, timeout=timeout
    )


def production_env(database_url: str, port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        # Production is closed by default; these tests call the API without credentials.
        "API_AUTH": "open",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
    }


def test_entrypoint_migrates_and_serves_the_api_with_static_files(empty_postgres_database, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    server = start(
        [str(ENTRYPOINT)], log=log, env=process_env(**production_env(empty_postgres_database, port))
    )
    try:
        wait_for_http(f"{base}/api/tickets/", process=server, log=log)

        status, headers, body = http("GET", f"{base}/api/tickets/")
        assert status == 200 and json.loads(body) == []
        assert headers["Server"].startswith("gunicorn")

        # The migrations ran: a ticket can be stored and the stats read back.
        create = urllib.request.Request(
            f"{base}/api/tickets/",
            method="POST",
            headers={"Content-Type": "application/json"},
            data=json.dumps(
                {
                    "title": "Printer on fire",
                    "description": "Smoke everywhere",
                    "category": "technical",
                    "priority": "critical",
                }
            ).encode(),
        )
        with urllib.request.urlopen(create, timeout=10) as response:
            assert response.status == 201
        assert json.loads(http("GET", f"{base}/api/tickets/stats/")[2])["total_tickets"] == 1

        # Static files with DEBUG=False: collected, hashed, compressed, served by WhiteNoise.
        status, _, page = http("GET", f"{base}/admin/login/")
        assert status == 200
        css = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page).group(1).decode()
        status, headers, _ = http("GET", base + css, headers={"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]

        status, _, docs = http("GET", f"{base}/api/docs/")
        assert status == 200
        scripts = re.findall(rb'src="(/static/[^"]+\.js)"', docs)
        assert scripts, "the API docs page loads its scripts from the API"
        for script in scripts:
            assert http("GET", base + script.decode())[0] == 200

        output = log.read_text()
        assert "is ready" in output
        assert "Applying tickets.0002_cache_table... OK" in output
        assert "Booting worker" in output
    finally:
        exit_code = stop(server)
    assert exit_code == 0, log.read_text()


def test_entrypoint_collects_static_files_again_only_when_they_changed(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tickets.sqlite3'}",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SKIP_MIGRATE": "1",
    }
    # The first start may collect (hash and compress everything): slow on a busy machine.
    first = run_entrypoint("true", timeout=600, **env)
    assert first.returncode == 0, first.stderr

    again = run_entrypoint("true", timeout=60, **env)

    assert again.returncode == 0, again.stderr
    assert "entrypoint: static files are up to date" in again.stdout
    assert "collecting" not in again.stdout


def test_entrypoint_waits_for_a_database_that_starts_late(throwaway_postgres, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = production_env(throwaway_postgres.url, port)
    env["WEB_CONCURRENCY"] = ""  # empty means the default, as docker-compose.yml passes it
    server = start([str(ENTRYPOINT)], log=log, env=process_env(**env))
    try:
        wait_for_text(log, "waiting up to 60s for the database", process=server)
        # Nothing listens yet; the entrypoint keeps trying, and starts nothing else.
        assert server.poll() is None
        assert "Applying" not in log.read_text()

        throwaway_postgres.start()

        wait_for_http(f"http://127.0.0.1:{port}/api/tickets/", process=server, log=log)
        assert http("GET", f"http://127.0.0.1:{port}/api/tickets/")[0] == 200
        assert "Applying tickets.0001_initial... OK" in log.read_text()
    finally:
        exit_code = stop(server)
    assert exit_code == 0, log.read_text()


def test_entrypoint_gives_up_on_a_database_that_never_comes(tmp_path):
    marker = tmp_path / "server-started"
    nothing_listens = f"postgresql://postgres@127.0.0.1:{free_port()}/ticketdb"

    result = run_entrypoint(
        "touch", str(marker), DATABASE_URL=nothing_listens, DB_WAIT_SECONDS="3", timeout=60
    )

    assert result.returncode == 1
    assert re.search(r"the database at 127\.0\.0\.1:\d+/ticketdb did not answer within 3s", result.stderr)
    assert "Check DATABASE_URL" in result.stderr
    assert "Connection refused" in result.stderr
    assert "Applying" not in result.stdout
    assert not marker.exists()


def test_entrypoint_works_with_sqlite_and_runs_the_given_command(tmp_path):
    database = tmp_path / "tickets.sqlite3"

    result = run_entrypoint(
        "python",
        "manage.py",
        "showmigrations",
        "tickets",
        DATABASE_URL=f"sqlite:///{database}",
        SKIP_COLLECTSTATIC="1",
    )

    assert result.returncode == 0, result.stderr
    assert f"database sqlite at {database} is ready" in result.stdout
    assert "[X] 0002_cache_table" in result.stdout
    assert "entrypoint: starting: python manage.py showmigrations tickets" in result.stdout


def test_entrypoint_refuses_a_wait_that_is_not_a_number(tmp_path):
    result = run_entrypoint(
        "true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DB_WAIT_SECONDS="soon"
    )

    assert result.returncode == 2
    assert "DB_WAIT_SECONDS must be a whole number of seconds, got 'soon'" in result.stderr


def test_entrypoint_stops_with_the_secret_key_error_in_production(tmp_path):
    result = run_entrypoint(
        "true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DEBUG="False", SECRET_KEY=""
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG=False" in result.stderr

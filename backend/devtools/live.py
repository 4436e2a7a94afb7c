"""Real processes for the tests that need them: gunicorn serving the app, and a
throwaway PostgreSQL cluster that a test may stop and start. Each cleans up
after itself, whatever happens; nothing here touches a server it did not start."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BACKEND_DIR = Path(__file__).resolve().parents[1]
EDGE_CONFIG = BACKEND_DIR.parent / "edge" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = os.environ.get("PGBOUNCER", shutil.which("pgbouncer") or "/usr/sbin/pgbouncer")


def through_pgbouncer() -> bool:
    """LIVE_THROUGH_PGBOUNCER=1 runs every live server of the tests (and the
    load run) through a PgBouncer of its own in transaction pooling mode."""
    return os.environ.get("LIVE_THROUGH_PGBOUNCER", "") in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 30):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if body is not None and "Content-Type" not in (headers or {}):
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def stop_process(process: subprocess.Popen | None, *, timeout: float) -> None:
    """SIGTERM, then SIGKILL to the whole process group if it has not exited in time."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py config.wsgi` on a free port, its output kept in a file."""

    def __init__(self, env: dict, workers: int = 2, threads: int = 4, timeout: int = 30):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DEBUG": "False",
            # The brief's open API unless a test asks for sign-in (DEBUG=False alone
            # would mean API_AUTH=required).
            "API_AUTH": "open",
            # Load from one address is the test's own traffic, not a flood to throttle.
            "TICKET_WRITE_RATE": "100000/minute",
            "SECRET_KEY": "live-test-secret-key-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
            **env,
        }
        # The production server settings (gunicorn.conf.py), on a free local port.
        self.env.update(
            {
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_THREADS": str(threads),
                "GUNICORN_TIMEOUT": str(timeout),
            }
        )
        self.args = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
        self.process: subprocess.Popen | None = None
        self._final_log: str | None = None

    def __enter__(self) -> Gunicorn:
        self.pgbouncer = None
        if through_pgbouncer() and self.env.get("DATABASE_URL", "").startswith("postgres"):
            self.pgbouncer = PgBouncer(self.env["DATABASE_URL"]).__enter__()
            self.env["DATABASE_DIRECT_URL"] = self.env["DATABASE_URL"]
            self.env["DATABASE_URL"] = self.pgbouncer.url
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.args,
            cwd=BACKEND_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                http("GET", f"{self.url}/api/ready-check/", timeout=10)  # a JSON 404: no database, no schema
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 30 s:\n{self.log()}")

    def __exit__(self, *exc) -> None:
        stop_process(self.process, timeout=15)
        if self._final_log is None and self.log_path.exists():
            self._final_log = self.log()
            self.log_path.unlink()
        if getattr(self, "pgbouncer", None) is not None:
            self.pgbouncer.__exit__()
            self.pgbouncer = None

    def log(self) -> str:
        """Everything gunicorn and the app printed (kept after the server stops)."""
        if self._final_log is not None:
            return self._final_log
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]


class Nginx:
    """The edge's nginx.conf (edge/nginx.conf) run by the local nginx binary on a
    free loopback port, in front of `backend_port` (and `stream_port`).

    Only what ties the file to Docker changes: the names of the upstreams, the
    listening address, the temporary directories and the worker user.
    `overrides` replaces further text, e.g. shorter timeouts."""

    def __init__(self, backend_port: int, stream_port: int | None = None, overrides: dict | None = None):
        self.backend_port = backend_port
        self.stream_port = stream_port or free_port()
        self.overrides = overrides or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix="nginx-"))
        self.process: subprocess.Popen | None = None
        self._final_log: str | None = None

    def config(self) -> str:
        text = EDGE_CONFIG.read_text()
        replacements = {
            "user nginx;\n": "",
            "/var/cache/nginx": str(self.dir),
            "server backend:8000;": f"server 127.0.0.1:{self.backend_port};",
            "events:8001": f"127.0.0.1:{self.stream_port}",
            "listen 8080;": f"listen 127.0.0.1:{self.port};",
            **self.overrides,
        }
        for old, new in replacements.items():
            if old not in text:
                raise AssertionError(f"{EDGE_CONFIG} no longer contains {old!r}")
            text = text.replace(old, new)
        return text

    def __enter__(self) -> Nginx:
        config = self.dir / "nginx.conf"
        config.write_text(self.config())
        main = f"daemon off; pid {self.dir}/nginx.pid;"
        if os.geteuid() == 0:
            main += " user root;"
        log = open(self.dir / "output.log", "wb")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.dir), "-c", str(config), "-e", str(self.dir / "error.log"), "-g", main],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"nginx exited at start:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"nginx did not listen within 15 s:\n{self.log()}")

    def __exit__(self, *exc) -> None:
        stop_process(self.process, timeout=10)
        if self._final_log is None:
            self._final_log = self.log()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        """Its access log (stdout) and error output."""
        if self._final_log is not None:
            return self._final_log
        parts = [
            path.read_text(errors="replace") for path in (self.dir / "output.log", self.dir / "error.log")
        ]
        return "".join(part for part in parts if part)


class PgBouncer:
    """PgBouncer in transaction pooling mode on a free port, in front of the
    server of `database_url` (trust authentication, as that server's local
    connections use). `url` is `database_url` with PgBouncer's host and port."""

    def __init__(self, database_url: str, pool_size: int = 10, max_client_conn: int = 400):
        self.target = urlsplit(database_url)
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        user = self.target.username or "postgres"
        netloc = f"{user}@127.0.0.1:{self.port}"
        self.url = urlunsplit(self.target._replace(netloc=netloc))
        self.admin_url = f"postgresql://{user}@127.0.0.1:{self.port}/pgbouncer"
        (self.dir / "users.txt").write_text(f'"{user}" ""\n')
        (self.dir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={self.target.hostname or '127.0.0.1'} port={self.target.port or 5432}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.dir / 'users.txt'}\n"
            f"admin_users = {user}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\n"
            f"max_client_conn = {max_client_conn}\n"
            # A client waits at most this long for a server connection (the
            # database down, the pool busy): then an error, which the API
            # answers with a JSON 503, instead of hanging.
            "query_wait_timeout = 5\n"
            "server_login_retry = 1\n"
            f"logfile = {self.dir / 'pgbouncer.log'}\n"
            f"pidfile = {self.dir / 'pgbouncer.pid'}\n"
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> PgBouncer:
        if os.geteuid() == 0:
            for path in [self.dir, *self.dir.iterdir()]:
                shutil.chown(path, "postgres", "postgres")
        self.process = subprocess.Popen(
            _as_postgres_user([PGBOUNCER, str(self.dir / "pgbouncer.ini")]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited at start:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"pgbouncer did not listen within 15 s:\n{self.log()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def show(self, what: str) -> list[dict]:
        """Rows of PgBouncer's `SHOW <what>` (pools, stats, servers...)."""
        import psycopg2

        conn = psycopg2.connect(self.admin_url)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(f"SHOW {what}")
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            conn.close()


def _as_postgres_user(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root; run them as `postgres` then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port,
    started and stopped by its user (never the shared server). Entering creates
    it and, unless `start=False`, starts it; leaving removes it."""

    def __init__(self, *, start: bool = True):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-throwaway-"))
        self.data = self.dir / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._start = start

    def __enter__(self) -> ThrowawayPostgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        try:
            self._run(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            )
            if self._start:
                self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "stop", "-m", "immediate", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w")

    def _run(self, *args: str, check: bool = True) -> None:
        subprocess.run(_as_postgres_user(list(args)), check=check, capture_output=True, timeout=120)


class EventServer:
    """The event stream server (`python -m live`, uvicorn) on a free port."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkstemp(prefix="events-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DEBUG": "False",
            "SECRET_KEY": "live-test-secret-key-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            **env,
        }
        self.process: subprocess.Popen | None = None
        self._final_log: str | None = None

    def __enter__(self) -> EventServer:
        self.start()
        return self

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "live", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=BACKEND_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the event server exited at start:\n{self.log()}")
            try:
                http("GET", f"{self.url}/api/ready-check/", timeout=10)
                return
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the event server did not answer within 30 s:\n{self.log()}")

    def stop(self) -> None:
        stop_process(self.process, timeout=15)

    def __exit__(self, *exc) -> None:
        self.stop()
        if self._final_log is None and self.log_path.exists():
            self._final_log = self.log()
            self.log_path.unlink()

    def log(self) -> str:
        if self._final_log is not None:
            return self._final_log
        return self.log_path.read_text(errors="replace")


class EventStreamReader:
    """A client of one Server-Sent Events stream: `next_event()` returns
    (id, name, data) as a browser's EventSource would see them."""

    def __init__(self, url: str, headers: dict | None = None, timeout: float = 10):
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        self.response = self.conn.getresponse()
        self.status = self.response.status
        # Header names are case-insensitive (the stream server sends them in lower case).
        self.headers = self.response.headers
        self.comments: list[str] = []

    def next_event(self, timeout: float = 5) -> tuple[str | None, str, str]:
        import json

        deadline = time.monotonic() + timeout
        event_id, name, data = None, "message", []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no event within {timeout} s")
            self.conn.sock.settimeout(left)
            line = self.response.fp.readline()
            if not line:
                raise ConnectionError("the stream ended")
            line = line.decode().rstrip("\r\n")
            if line == "":
                if data:
                    return event_id, name, json.loads("\n".join(data))
                event_id, name, data = event_id, "message", []
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "":
                self.comments.append(value)
            elif field == "id":
                event_id = value
            elif field == "event":
                name = value
            elif field == "data":
                data.append(value)

    def until(self, name: str, timeout: float = 5):
        """The next event called `name` (events before it are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {name} event within {timeout} s")
            event = self.next_event(timeout=left)
            if event[1] == name:
                return event

    def close(self) -> None:
        self.conn.close()

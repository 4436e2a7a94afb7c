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

BACKEND_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database a Django connection uses (the test database)."""
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


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


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py config.wsgi` on a free port, its output kept in a file."""

    def __init__(self, env: dict, workers: int = 2, threads: int = 4, timeout: int = 30):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DEBUG": "False",
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
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._final_log is None and self.log_path.exists():
            self._final_log = self.log()
            self.log_path.unlink()

    def log(self) -> str:
        """Everything gunicorn and the app printed (kept after the server stops)."""
        if self._final_log is not None:
            return self._final_log
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        import psutil

        return [child.pid for child in psutil.Process(self.process.pid).children()]


def _as_postgres_user(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root; run them as `postgres` then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pg-throwaway-"))
        self.data = self.dir / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def __enter__(self) -> ThrowawayPostgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        try:
            self._run(
                str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
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
        subprocess.run(_as_postgres_user(list(args)), check=check, capture_output=True, timeout=60)


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
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

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
        self.headers = dict(self.response.headers)
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

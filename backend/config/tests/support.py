"""Helpers for the deployment tests: real processes, real ports, real databases."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

from devtools.live import BACKEND_DIR, http

REPO_DIR = BACKEND_DIR.parent
ENTRYPOINT = BACKEND_DIR / "entrypoint.sh"
VENV_BIN = Path(sys.executable).parent

# Variables of the test run that must not leak into the processes under test.
_RUN_ONLY = {"DATABASE_URL", "REQUIRE_DATABASE_VENDOR", "DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a fresh shell with the virtual environment active,
    plus `overrides`; a value of None removes the variable."""
    env = {k: v for k, v in os.environ.items() if k not in _RUN_ONLY}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHON"] = sys.executable
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def wait_for_http(url: str, *, process: subprocess.Popen, log: Path, limit: float = 120) -> None:
    """Poll until `url` answers; fail early if the server process ends first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            http("GET", url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {limit}s:\n{log.read_text()}")


def wait_for_text(log: Path, text: str, *, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if text in log.read_text():
            return
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n{log.read_text()}")


def start(args, *, log: Path, cwd: Path = BACKEND_DIR, env: dict) -> subprocess.Popen:
    """Start a server in its own process group, output to `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen, *, limit: float = 30) -> int:
    """SIGTERM to the process group, as `docker stop` sends; SIGKILL only for
    what has not ended in time. Returns the leader's exit code."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(limit)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    return process.returncode

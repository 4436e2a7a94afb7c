"""backend/gunicorn.conf.py, as gunicorn itself reads it."""

import multiprocessing
import runpy
import subprocess

import pytest

from .support import BACKEND_DIR, VENV_BIN, process_env

CONF = BACKEND_DIR / "gunicorn.conf.py"


def gunicorn_config(**env: str) -> dict[str, str]:
    result = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "-c", str(CONF), "--print-config", "config.wsgi"],
        cwd=BACKEND_DIR,
        env=process_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.partition("=") for line in result.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, _, value in pairs}


def test_gunicorn_defaults_use_threaded_workers_sized_from_the_cpus():
    config = gunicorn_config(OPENAI_TIMEOUT=None, PORT=None)

    assert config["worker_class"] == "gthread"
    assert int(config["threads"]) == 8  # 4 beside the default CLASSIFY_MAX_IN_FLIGHT (4)
    assert config["bind"] == "['0.0.0.0:8000']"
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"
    assert int(config["workers"]) >= 2


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (3, 7), (4, 8), (64, 8)])
def test_gunicorn_workers_are_twice_the_cpus_plus_one_capped_at_8(cpus, workers, monkeypatch):
    """As .env.example documents WEB_CONCURRENCY's default, on a machine with `cpus` CPUs."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: cpus)

    assert runpy.run_path(str(CONF))["workers"] == workers


@pytest.mark.parametrize(
    ("openai_timeout", "worker_timeout"), [("", 30), ("10", 30), ("45", 65), ("12.5", 33)]
)
def test_gunicorn_timeout_stays_above_the_llm_timeout(openai_timeout, worker_timeout):
    config = gunicorn_config(OPENAI_TIMEOUT=openai_timeout)

    assert int(config["timeout"]) == worker_timeout
    assert int(config["graceful_timeout"]) == worker_timeout


def test_gunicorn_settings_follow_the_environment():
    config = gunicorn_config(
        PORT="9123",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="90",
        GUNICORN_LOG_LEVEL="WARNING",
    )

    assert config["bind"] == "['0.0.0.0:9123']"
    assert int(config["workers"]) == 3
    assert int(config["threads"]) == 8
    assert int(config["timeout"]) == 90
    assert config["loglevel"] == "warning"


@pytest.mark.parametrize("value", ["many", "0"])
def test_gunicorn_refuses_a_bad_thread_count(value):
    result = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "-c", str(CONF), "--print-config", "config.wsgi"],
        cwd=BACKEND_DIR,
        env=process_env(GUNICORN_THREADS=value),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "GUNICORN_THREADS must be" in result.stdout + result.stderr

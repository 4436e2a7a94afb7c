"""
Gunicorn settings for the API (`gunicorn -c gunicorn.conf.py config.wsgi`).

Threaded workers (gthread): a classify call can wait on the LLM for up to
OPENAI_TIMEOUT seconds, and while one thread waits the other threads of the
same worker keep answering lists, stats and writes. Every value can be
overridden from the environment without rebuilding the image.

This file configures the server process, so it reads its own variables;
Django's settings stay in config/settings.py.
"""

import math
import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, got {value}")
    return value


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from exc


def default_workers(cpus: int) -> int:
    """2 x CPUs + 1, capped at 8 so that workers x threads (each thread may
    hold a database connection; 8 threads by default) stays under PostgreSQL's
    default 100."""
    return max(2, min(2 * cpus + 1, 8))


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_env_int('PORT', 8000)}"

worker_class = "gthread"
workers = _env_int("WEB_CONCURRENCY", default_workers(multiprocessing.cpu_count()))
# Up to CLASSIFY_MAX_IN_FLIGHT (default 4) threads of a worker may wait on the
# LLM at once; with 8 threads, four more always remain for everything else, so
# requests that land on a worker whose classify calls are waiting never queue
# behind them. Raise both together.
threads = _env_int("GUNICORN_THREADS", 8)

# The whole classify call, retries included, is bounded by OPENAI_TIMEOUT; the
# worker timeout leaves room above it so a slow LLM never gets a worker killed.
_openai_timeout = _env_float("OPENAI_TIMEOUT", 10.0)
timeout = _env_int("GUNICORN_TIMEOUT", max(30, math.ceil(_openai_timeout) + 20))
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", timeout)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then, staggered, so slow leaks never build up. Memory
# stays flat under load (the plain list is streamed), so this can be rare.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 2000)

# Heartbeat files in memory: a slow container disk cannot stall the workers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs to stdout/stderr, where `docker compose logs` and journald read them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info").strip().lower() or "info"
# The path without its query string: a search can hold customer data.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The runtime control socket is not used; without this, two servers run by one
# user would share $HOME/.gunicorn/gunicorn.ctl.
control_socket_disable = True

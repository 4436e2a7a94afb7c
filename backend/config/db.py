"""A database health check that costs no round trip when nothing is wrong.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of
every request that reuses a connection, which on a fast read is a second round
trip to the database. A server that closes a connection (a restart, an idle
timeout, `pg_terminate_backend`) first writes to it, so an idle connection
whose socket has nothing to read is alive as far as a `SELECT 1` could tell;
only one with something waiting gets Django's own check, which closes it so
that the request reconnects.
"""

import select

from django.core.signals import request_started
from django.db import connections


def _nothing_waiting(raw) -> bool:
    try:
        if raw.closed:
            return False
        readable, _, _ = select.select([raw.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return False
    return not readable


def skip_health_check_if_quiet(conn) -> None:
    """Mark a kept PostgreSQL connection as checked when its socket has nothing
    to read; otherwise leave Django's `SELECT 1` to run before its next query."""
    raw = conn.connection
    if (
        raw is not None
        and conn.health_check_enabled
        and not conn.health_check_done
        and conn.vendor == "postgresql"
        and _nothing_waiting(raw)
    ):
        conn.health_check_done = True


def skip_health_checks_of_quiet_connections(**kwargs):
    """Runs after Django's own request_started handler (close_old_connections),
    which marks each kept connection as due for a health check."""
    for conn in connections.all(initialized_only=True):
        skip_health_check_if_quiet(conn)


def install() -> None:
    request_started.connect(skip_health_checks_of_quiet_connections, dispatch_uid="config.db.health_check")

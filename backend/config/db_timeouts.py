"""A time limit on every statement a request runs in PostgreSQL.

`DB_STATEMENT_TIMEOUT` seconds (default 5): past it PostgreSQL cancels the
statement, its backend is free at once, and the API answers a JSON 503 that
says how to narrow the query (see config.exceptions).

The limit is set with `SET LOCAL` in the transaction that runs the statement,
never on the session. That works the same on a direct connection and behind
PgBouncer in transaction pooling, where a session `SET` (or the `options`
startup parameter, which PgBouncer refuses) would stay on a server connection
that other requests then borrow, or be lost. It costs no round trip: a
statement outside a transaction goes out as `SET LOCAL ...; <statement>`, one
message that PostgreSQL runs as one transaction; in a transaction the first
statement carries it. Management commands (migrations, backups) run unbounded.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout or a cancel


def statement_timeout_ms(seconds: float | None = None) -> int:
    """A limit in seconds (DB_STATEMENT_TIMEOUT unless given) as PostgreSQL's milliseconds."""
    return max(0, round((settings.DB_STATEMENT_TIMEOUT if seconds is None else seconds) * 1000))


class StatementTimeout:
    """A Django execute wrapper that bounds every statement's run time."""

    def __init__(self, milliseconds: int):
        self.milliseconds = milliseconds
        self.prefix = f"SET LOCAL statement_timeout = {milliseconds}; "

    def __call__(self, execute, sql, params, many, context):
        raw = context["connection"].connection
        if raw is None or raw.get_transaction_status() != TRANSACTION_STATUS_IDLE:
            return execute(sql, params, many, context)  # in a transaction that has the limit already
        if getattr(context["cursor"], "name", None):
            # A server-side cursor wraps the statement in DECLARE, which takes
            # one statement: set the limit first (this opens the transaction).
            with raw.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(self.milliseconds)])
            return execute(sql, params, many, context)
        return execute(self.prefix + sql, params, many, context)


@contextmanager
def statement_timeout():
    """Bound the statements run on the default connection inside this block."""
    milliseconds = statement_timeout_ms()
    if connection.vendor != "postgresql" or milliseconds == 0:
        yield
        return
    with connection.execute_wrapper(StatementTimeout(milliseconds)):
        yield


def bulk_statement_timeout() -> None:
    """Give the rest of the current transaction DB_BULK_STATEMENT_TIMEOUT
    instead of DB_STATEMENT_TIMEOUT (SET LOCAL: it ends with the transaction).
    Only where a request's limit applies: management commands stay unbounded."""
    bounded = any(isinstance(wrapper, StatementTimeout) for wrapper in connection.execute_wrappers)
    if not bounded or not connection.in_atomic_block:
        return
    milliseconds = statement_timeout_ms(settings.DB_BULK_STATEMENT_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)])


def is_statement_timeout(exc: BaseException) -> bool:
    return getattr(exc.__cause__, "pgcode", None) == QUERY_CANCELED


class StatementTimeoutMiddleware:
    """Every request's statements run under DB_STATEMENT_TIMEOUT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with statement_timeout():
            return self.get_response(request)

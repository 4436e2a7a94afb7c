"""The health check without a round trip (config/db.py): a quiet connection is
reused as it is; one the server has closed is still found and replaced."""

import time

import psycopg2
import pytest
from django.db import connections

from config.db import skip_health_check_if_quiet
from devtools.db import database_url
from devtools.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def _kept_connection():
    """A connection as a request finds it: open, kept, due for its check."""
    conn = connections.create_connection("default")
    conn.settings_dict["CONN_HEALTH_CHECKS"] = True
    conn.ensure_connection()
    conn.health_check_done = False
    return conn


def test_a_quiet_connection_is_reused_without_a_select_1():
    conn = _kept_connection()
    try:
        skip_health_check_if_quiet(conn)
        assert conn.health_check_done
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        conn.close()


def test_a_connection_the_server_closed_is_checked_and_replaced_before_the_next_query():
    conn = _kept_connection()
    pid = conn.connection.get_backend_pid()
    admin = psycopg2.connect(database_url(conn.settings_dict))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        time.sleep(0.5)  # the server's goodbye reaches the socket
        skip_health_check_if_quiet(conn)
        assert not conn.health_check_done
        with conn.cursor() as cursor:  # Django's own check closes it; this reconnects
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        admin.close()
        conn.close()

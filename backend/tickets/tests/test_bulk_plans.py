"""A bulk change joins its old and new rows by hash in every statement
trigger, even on a connection whose triggers were first planned for a single
ticket (PL/pgSQL keeps those plans): a nested loop over two transition tables
compares every old row with every new one, 10^8 pairs for 10,000 tickets."""

import re
from collections import deque

import pytest
from django.db import OperationalError, ProgrammingError, connection, transaction

from devtools.markers import requires_postgresql
from tickets.models import Ticket

from .factories import make_ticket

pytestmark = [requires_postgresql, pytest.mark.django_db]

# The join of the old and new rows as a nested loop, as EXPLAIN writes it.
NESTED_JOIN = re.compile(r"Join Filter: \((o\.id = n\.id|n\.id = o\.id)\)")


def _trigger_plans(raw) -> list[str]:
    return [notice for notice in raw.notices if "Named Tuplestore Scan" in notice]


def test_a_bulk_change_after_single_ticket_writes_joins_old_and_new_rows_by_hash():
    tickets = [make_ticket() for _ in range(200)]
    one = tickets[0]
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("LOAD 'auto_explain'")
        except (ProgrammingError, OperationalError) as error:  # not a superuser, or no auto_explain
            pytest.skip(f"auto_explain cannot be loaded here: {error}")
        for setting, value in (
            ("auto_explain.log_min_duration", "0"),
            ("auto_explain.log_nested_statements", "on"),
            ("auto_explain.log_level", "notice"),
            ("client_min_messages", "notice"),
        ):
            cursor.execute("SELECT set_config(%s, %s, false)", [setting, value])
    raw = connection.connection
    raw.notices = deque()
    # Single-ticket changes: each trigger statement is planned for one row,
    # and after a few runs PL/pgSQL keeps that plan for this connection.
    make_ticket()
    for priority in ("high", "low") * 4:
        Ticket.objects.filter(pk=one.pk).update(priority=priority)
    single = _trigger_plans(raw)
    assert single, "no trigger plan was seen"
    # A one-ticket write is never worth compiling (JIT costs about 120 ms).
    assert not [plan for plan in single if "JIT:" in plan]
    raw.notices.clear()

    changed = Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(priority="critical")

    assert changed == 200
    plans = _trigger_plans(raw)
    assert any("old_rows" in plan or "o.id" in plan for plan in plans), "no trigger plan was seen"
    nested = [plan for plan in plans if NESTED_JOIN.search(plan)]
    assert not nested, nested[0]
    assert not [plan for plan in plans if "JIT:" in plan]
    with connection.cursor() as cursor:
        cursor.execute("RESET auto_explain.log_min_duration")
        cursor.execute("RESET client_min_messages")

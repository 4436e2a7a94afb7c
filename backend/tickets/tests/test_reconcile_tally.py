"""`manage.py reconcile_tally` finds and repairs a tally that drifted from the tickets."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from devtools.markers import requires_postgresql
from tickets.selectors import ticket_stats

from .factories import make_ticket

pytestmark = [requires_postgresql, pytest.mark.django_db]


def run(*args):
    out = StringIO()
    call_command("reconcile_tally", *args, stdout=out)
    return out.getvalue()


def test_reconcile_tally_reports_and_repairs_a_corrupted_tally():
    for _ in range(3):
        make_ticket(category="billing", priority="high", status="open")
    make_ticket(category="account", priority="low", status="closed")
    # A restore with triggers off, simulated: the tally no longer matches.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ticket_tally SET tickets = tickets + 5 WHERE category = 'billing'")
        cursor.execute("DELETE FROM ticket_tally WHERE category = 'account'")
    assert ticket_stats()["total_tickets"] == 3 + 5

    with pytest.raises(CommandError, match="2 tally row"):
        run("--check")
    assert ticket_stats()["total_tickets"] == 8, "--check changes nothing"

    output = run()
    assert "drift billing/high/open: tally 8, tickets 3" in output
    assert "drift account/low/closed: tally 0, tickets 1" in output
    assert ticket_stats()["total_tickets"] == 4
    assert ticket_stats()["category_breakdown"]["account"] == 1
    assert "no drift" in run("--check")

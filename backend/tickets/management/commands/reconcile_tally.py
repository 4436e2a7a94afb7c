"""Recount the statistics tally from the tickets and repair any drift.

The tally (migration 0004) is kept exact by triggers; it can only drift when
they did not run, e.g. after a restore with triggers disabled. Writers wait
while the recount runs (the tickets table is locked in SHARE ROW EXCLUSIVE
mode, which still lets reads through), so nothing is written between the count
and the repair.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from tickets.services import ticket_tally_reconcile


class Command(BaseCommand):
    help = "Recount ticket_tally from the tickets under a lock and report (and repair) any drift."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report the drift; exit with status 1 if there is any."
        )

    def handle(self, *args, check=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The tally exists on PostgreSQL only; other databases count tickets directly.")
        with transaction.atomic():
            drift = ticket_tally_reconcile(repair=not check)
        if not drift:
            self.stdout.write("ticket_tally matches the tickets: no drift.")
            return
        for row in drift:
            self.stdout.write(
                "drift {category}/{priority}/{status}: tally {tallied}, tickets {counted}".format(**row)
            )
        summary = f"{len(drift)} tally row(s) drifted"
        if check:
            raise CommandError(f"{summary}; run without --check to repair.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{summary}; repaired."))

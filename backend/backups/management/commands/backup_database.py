from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database to a timestamped file (pg_dump or SQLite's backup API)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(settings.REPO_DIR / "backups"),
            help="where to write it (default backups/)",
        )
        parser.add_argument(
            "--database-url", help="back up this database instead of DATABASE_DIRECT_URL/DATABASE_URL"
        )
        parser.add_argument(
            "--snapshot", help="PostgreSQL: dump as of this exported snapshot (pg_export_snapshot())"
        )

    def handle(self, *args, directory, database_url, snapshot, **options):
        try:
            path = database_backup(directory=Path(directory), url=database_url, snapshot=snapshot)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path.resolve()))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_database into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .dump (PostgreSQL) or .sqlite3 (SQLite) file")
        parser.add_argument(
            "--database-url", help="restore into this database instead of DATABASE_DIRECT_URL/DATABASE_URL"
        )
        parser.add_argument(
            "--force", action="store_true", help="replace everything in a database that is not empty"
        )

    def handle(self, *args, file, database_url, force, **options):
        try:
            database_restore(path=Path(file), url=database_url, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {file}")

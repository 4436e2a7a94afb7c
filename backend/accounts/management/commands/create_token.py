"""Create an API token for an agent: `python manage.py create_token ada --name ci`.

The key is printed once, alone on stdout, so a script can capture it; only
its digest is stored."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for an agent and print its key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. ci.")
        parser.add_argument("--days", type=int, help="Expire after this many days (default: never).")

    def handle(self, *args, username, name, days, **options):
        agent = get_user_model().objects.filter(username=username, is_active=True).first()
        if agent is None:
            raise CommandError(f"No active agent named {username!r}.")
        if not name.strip() or len(name) > 100:
            raise CommandError("--name must hold 1 to 100 characters.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        expiry = timezone.now() + timedelta(days=days) if days else None
        _, key = token_create(user=agent, name=name.strip(), expiry=expiry)
        self.stdout.write(key)

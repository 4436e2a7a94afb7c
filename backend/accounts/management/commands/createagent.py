"""Create an agent: `python manage.py createagent ada --name "Ada Lovelace" [--admin]`.

The password is asked for twice on a terminal, or read from the
AGENT_PASSWORD environment variable (for scripts); never from the command
line, where other users could read it in the process list."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import agent_create


class Command(BaseCommand):
    help = "Create an agent (a user who may sign in to the app and the API)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="The name shown in the app.")
        parser.add_argument("--admin", action="store_true", help="May manage agents and use the admin.")

    def handle(self, *args, username, name, admin, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"An agent named {username!r} already exists.")
        password = os.environ.get("AGENT_PASSWORD") or self._ask_password()
        try:
            agent_create(username=username, password=password, name=name, is_admin=admin)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Agent {username} created{' (admin)' if admin else ''}.")

    def _ask_password(self) -> str:
        if not os.isatty(0):
            raise CommandError("Set AGENT_PASSWORD or run on a terminal to type the password.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return password

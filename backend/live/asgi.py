"""ASGI entry point of the stream server (`python -m live` runs it with uvicorn)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from .server import EventStreamApp  # noqa: E402  (needs the settings above)

application = EventStreamApp()

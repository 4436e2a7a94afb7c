"""WSGI entry point used by gunicorn (`config.wsgi:application`)."""

import logging
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Import the views (and the SDK behind classify) now, while the worker boots,
# rather than inside the first requests it accepts: a fresh worker would
# otherwise hold its first callers for over half a second.
_ = get_resolver().url_patterns


def _log_access_mode() -> None:
    from django.conf import settings

    mode = settings.API_AUTH
    if mode == "required" and settings.PUBLIC_SUBMISSION:
        mode += ", public ticket submission"
    logging.getLogger("config").info("API access: %s (API_AUTH)", mode)


_log_access_mode()

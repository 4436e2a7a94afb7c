"""Closing caches at the end of each request is skipped only when no
configured cache has anything to close (config/caches.py)."""

from django.conf import settings
from django.core.cache import close_caches
from django.core.signals import request_finished

from config.caches import caches_hold_nothing_to_close


def _connected(receiver) -> bool:
    return any(ref() is receiver for _, ref, *_ in request_finished.receivers)


def test_the_configured_database_caches_are_not_closed_after_each_request():
    assert {options["BACKEND"] for options in settings.CACHES.values()} == {
        "django.core.cache.backends.db.DatabaseCache"
    }
    assert caches_hold_nothing_to_close(settings.CACHES)
    assert not _connected(close_caches)


def test_a_cache_with_connections_of_its_own_is_still_closed():
    for backend in (
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
    ):
        configured = {**settings.CACHES, "shared": {"BACKEND": backend, "LOCATION": "127.0.0.1:1"}}
        assert not caches_hold_nothing_to_close(configured)
    assert caches_hold_nothing_to_close(
        {"local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    )

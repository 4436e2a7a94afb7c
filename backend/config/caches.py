"""Django closes every cache when a request ends (`close_caches` on
`request_finished`). The database and local-memory caches hold nothing of
their own to close (their `close` is BaseCache's, which does nothing), so with
only those configured the handler is left out: each request then skips
looking up every cache of its thread to call a method that does nothing. A
cache with connections of its own (memcached, Redis) keeps it."""

from django.core.cache import close_caches
from django.core.cache.backends.base import BaseCache
from django.core.signals import request_finished
from django.utils.module_loading import import_string


def caches_hold_nothing_to_close(configured: dict) -> bool:
    return all(import_string(options["BACKEND"]).close is BaseCache.close for options in configured.values())


def install(configured: dict) -> None:
    if caches_hold_nothing_to_close(configured):
        request_finished.disconnect(close_caches)

"""Request throttles that share one identity rule and one cache of their own.

Their histories live in the `throttle` cache, apart from the classify answers
in the default cache, so a cache filled with answers can never cull a client's
history and reset its limit. An IPv6 client is counted by its /64: one
subscriber usually holds a whole /64 and could otherwise change address on
every request.
"""

import ipaddress

from django.core.cache import caches
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

IPV6_PREFIX = 64


def client_key(address: str | None) -> str:
    """The throttle identity of a client address: an IPv4 address as it is,
    an IPv6 address as its /64 network (IPv4-mapped addresses as IPv4)."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


class ClientThrottleMixin:
    @property
    def cache(self):
        return caches["throttle"]

    def get_ident(self, request):
        return client_key(super().get_ident(request))


class ClientScopedRateThrottle(ClientThrottleMixin, ScopedRateThrottle):
    """DRF's scoped throttle (`throttle_scope` on the view) with the rules above."""


class AdminSignInThrottle(ClientThrottleMixin, SimpleRateThrottle):
    """Sign-in attempts on the Django admin, per client."""

    scope = "admin_sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

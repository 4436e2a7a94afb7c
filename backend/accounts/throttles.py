"""Sign-in attempts are limited per client address and per username, in the
shared cache, so guessing passwords is slow from one address and for one
account. Beyond the rate the answer is 429 with Retry-After."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle


class LoginAddressThrottle(SimpleRateThrottle):
    scope = "login"
    cache_format = "throttle_login_address_%(ident)s"

    def get_cache_key(self, request, view):
        return self.cache_format % {"ident": self.get_ident(request)}


class LoginUsernameThrottle(SimpleRateThrottle):
    scope = "login"
    cache_format = "throttle_login_username_%(ident)s"

    def get_cache_key(self, request, view):
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None
        # Usernames are case-sensitive in Django, but the throttle is not: a
        # guesser gains nothing by varying the case. Hashed: no text in keys.
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"ident": ident}

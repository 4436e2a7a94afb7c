"""How a request proves who it is: an API token, or the app's session.

Tokens are django-rest-knox keys: `Authorization: Token <key>` or
`Authorization: Bearer <key>`. A key is looked up by its SHA-512 digest, one
indexed query, and the answer is kept in this process for
`AUTH_TOKEN_CACHE_SECONDS` so that a script's requests do not pay that query
each time. Revoking a token (or deactivating its agent) therefore takes effect
within that many seconds in every worker, at once in the one that revoked it.
Keys are never logged.
"""

import re
import threading
import time

from django.conf import settings
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import knox_settings
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORDS = (b"token", b"bearer")
KEY_PATTERN = re.compile(r"[0-9a-f]{%d}" % knox_settings.AUTH_TOKEN_CHARACTER_LENGTH)
CACHE_MAX_ENTRIES = 10_000

_cache: dict[str, tuple[float, ApiToken]] = {}
_cache_lock = threading.Lock()


def forget_token(digest: str) -> None:
    """Drop a token from this process's cache (after it is revoked)."""
    with _cache_lock:
        _cache.pop(digest, None)


def forget_all_tokens() -> None:
    with _cache_lock:
        _cache.clear()


def _token_for_digest(digest: str) -> ApiToken | None:
    now = time.monotonic()
    hit = _cache.get(digest)
    if hit is not None and hit[0] > now:
        return hit[1]
    token = ApiToken.objects.select_related("user").filter(digest=digest).first()
    ttl = settings.AUTH_TOKEN_CACHE_SECONDS
    if token is not None and ttl > 0:
        with _cache_lock:
            if len(_cache) >= CACHE_MAX_ENTRIES:
                _cache.clear()
            _cache[digest] = (now + ttl, token)
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """A knox token in the Authorization header, with either keyword."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: give one key after the keyword.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not KEY_PATTERN.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = _token_for_digest(hash_token(key))
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expiry is not None and token.expiry <= timezone.now():
            raise exceptions.AuthenticationFailed("Token expired.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return "Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """The app's session cookie; unsafe methods need the CSRF token (DRF's check)."""

"""How a request proves who it is: an API token, or the app's session.

Tokens are django-rest-knox keys: `Authorization: Token <key>` or
`Authorization: Bearer <key>`. A key is looked up by its SHA-512 digest, one
indexed query. Sessions are Django's (two queries: the session, the user).

Either answer is kept in this process for `AUTH_CACHE_SECONDS`, so that a
busy client does not pay those queries on every request. Revoking a token,
signing out or deactivating an agent therefore takes effect within that many
seconds in every worker, and at once in the one that did it. Keys and session
ids are never logged, and the caches hold only their digests.
"""

import hashlib
import re
import threading
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import knox_settings
from rest_framework import authentication, exceptions, permissions

from .models import ApiToken

KEYWORDS = (b"token", b"bearer")
KEY_PATTERN = re.compile(f"[0-9a-f]{{{knox_settings.AUTH_TOKEN_CHARACTER_LENGTH}}}")
CACHE_MAX_ENTRIES = 10_000


class ShortLivedCache:
    """digest -> value for AUTH_CACHE_SECONDS, in this process, bounded."""

    def __init__(self):
        self._entries: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str):
        hit = self._entries.get(digest)
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, digest: str, value) -> None:
        ttl = settings.AUTH_CACHE_SECONDS
        if ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= CACHE_MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + ttl, value)

    def forget(self, digest: str) -> None:
        with self._lock:
            self._entries.pop(digest, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_tokens = ShortLivedCache()
_sessions = ShortLivedCache()


def forget_token(digest: str) -> None:
    """Drop a token from this process's cache (after it is revoked)."""
    _tokens.forget(digest)


def forget_all_tokens() -> None:
    """Forget every cached token and session (after an agent is deactivated)."""
    _tokens.clear()
    _sessions.clear()


def _session_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


@receiver(user_logged_out)
def _forget_session(sender, request, user, **kwargs):
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        _sessions.forget(_session_digest(session_key))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _forget_after_agent_change(sender, **kwargs):
    """An agent deactivated or given a new password, by the API or the admin,
    loses cached access in this worker at once (others: AUTH_CACHE_SECONDS)."""
    forget_all_tokens()


def _token_for_digest(digest: str) -> ApiToken | None:
    token = _tokens.get(digest)
    if token is None:
        token = ApiToken.objects.select_related("user").filter(digest=digest).first()
        if token is not None:
            _tokens.put(digest, token)
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
    """The app's session cookie; unsafe methods need the CSRF token (DRF's
    check, which accepts safe methods without looking, so they skip it).

    The first request of a session in a worker goes through Django (session
    row, user row, the password-hash check); later ones within
    AUTH_CACHE_SECONDS reuse that answer."""

    def authenticate(self, request):
        django_request = request._request
        session_key = django_request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return None
        digest = _session_digest(session_key)
        user = _sessions.get(digest)
        if user is None:
            user = getattr(django_request, "user", None)
            if user is None or not user.is_authenticated:
                return None
            _sessions.put(digest, user)
        if not user.is_active:
            return None
        self.enforce_csrf(request)
        return user, None

    def enforce_csrf(self, request):
        # A read changes nothing: Django's check accepts it without looking at
        # the token (CsrfViewMiddleware has read the cookie already).
        if request.method not in permissions.SAFE_METHODS:
            super().enforce_csrf(request)

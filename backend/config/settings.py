"""
Settings for the support-ticket API.

This is the one module that reads the environment. A `.env` file at the
repository root is loaded first when present; real environment variables win.
Development defaults are explicit and safe; production (DEBUG=False) refuses
to start without a SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent

load_dotenv(REPO_DIR / ".env", override=False)


def env_str(name: str, default: str = "") -> str:
    """The variable's value; an unset or empty variable gives the default."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_number(name: str, default, cast=int):
    raw = env_str(name)
    if raw == "":
        return default
    try:
        return cast(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG=False. "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,backend")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "accounts",
    "tickets",
    "limits",
    "triage",
    "history",
    "comments",
    "backups",
    "live",
]

MIDDLEWARE = [
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "limits.middleware.AdminSignInThrottleMiddleware",
    "config.db_timeouts.StatementTimeoutMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL, an embedded SQLite file otherwise.
# Health checks let a worker reconnect by itself after the database restarts.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_number("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_number("DATABASE_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file as `make run` does, not a shared in-memory database: two
    # connections writing at once then wait for each other instead of failing
    # with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}

# No statement a request runs may take longer than this many seconds (0: no
# limit); see config/db_timeouts.py. Migrations and other commands are not bounded.
DB_STATEMENT_TIMEOUT = env_number("DB_STATEMENT_TIMEOUT", 5.0, float)
# A bulk change (at most BULK_MAX_TICKETS tickets, each write adding history and
# index entries) is bounded by its size rather than by a query's shape: its
# statements get this limit instead (0: unbounded).
DB_BULK_STATEMENT_TIMEOUT = env_number("DB_BULK_STATEMENT_TIMEOUT", 30.0, float)

# A connection that bypasses a transaction-pooling PgBouncer, for what needs a
# session of its own (LISTEN/NOTIFY, migrations); DATABASE_URL when unset.
DATABASE_DIRECT_URL = env_str("DATABASE_DIRECT_URL", env_str("DATABASE_URL"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches in the database are shared by every worker without another service to
# run. Classify answers and throttle histories live in separate tables: when the
# answers fill theirs and it is culled, no client's throttle history goes with them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": env_number("CLASSIFY_CACHE_ENTRIES", 50_000)},
    },
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "throttle_cache",
        # Histories expire with their rate's period; only this many clients
        # active within one period could make the table cull.
        "OPTIONS": {"MAX_ENTRIES": env_number("THROTTLE_CACHE_ENTRIES", 200_000)},
    },
}

# Agents are Django users. Argon2 hashes new passwords; the others still
# verify passwords hashed before (and are upgraded on the next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Requests larger than this are refused with a JSON 413 before they are read.
MAX_REQUEST_BODY_BYTES = env_number("MAX_REQUEST_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000")
CSRF_TRUSTED_ORIGINS = CORS_ALLOWED_ORIGINS
# The app on another port (or subdomain) signs in with a session cookie, so
# it sends credentials; only the origins above may read the answers.
CORS_ALLOW_CREDENTIALS = True
# The app reads a ticket's ETag and sends it back in If-Match on PATCH.
CORS_EXPOSE_HEADERS = ["ETag"]
CORS_ALLOW_HEADERS = (*default_headers, "if-match")

# Who may use the API. `open`: everyone, as the brief shows (no sign-in).
# `required`: agents only, by session or token. Unset: closed in production.
API_AUTH = env_str("API_AUTH", "open" if DEBUG else "required").lower()
if API_AUTH not in {"open", "required"}:
    raise ImproperlyConfigured(f"API_AUTH must be 'open' or 'required', got {API_AUTH!r}")
# With API_AUTH=required, still let anonymous clients create tickets and call
# classify (a customer-facing form); everything else needs an agent.
PUBLIC_SUBMISSION = env_bool("PUBLIC_SUBMISSION", False)
# How long a worker reuses a token's or a session's lookup: revoking a token,
# signing out or deactivating an agent takes effect in every worker within
# this many seconds (0: look them up on every request).
AUTH_CACHE_SECONDS = env_number("AUTH_CACHE_SECONDS", 5.0, float)
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would create its default token table even though
# accounts.ApiToken replaces it; without them no such table exists.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None}

# Session and CSRF cookies: HttpOnly session, SameSite=Lax, Secure in
# production (SESSION_COOKIE_SECURE below). The app reads the CSRF token from
# the sign-in answer or GET /api/auth/csrf/, not from the cookie.
SESSION_COOKIE_AGE = env_number("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# How many proxies sit in front of the API. 0 means the peer address is the
# client, so a forged X-Forwarded-For cannot dodge the classify throttle.
NUM_PROXIES = env_number("NUM_PROXIES", 0)

REST_FRAMEWORK = {
    # DRF's JSON, written by orjson where the bytes are the same (config/renderers.py).
    "DEFAULT_RENDERER_CLASSES": (
        ["config.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"]
        if DEBUG
        else ["config.renderers.JSONRenderer"]
    ),
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.ApiAccess"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "classify": env_str("CLASSIFY_RATE", "60/minute"),
        "ticket_write": env_str("TICKET_WRITE_RATE", "120/minute"),
        "admin_sign_in": env_str("ADMIN_SIGN_IN_RATE", "10/minute"),
        # Sign-in attempts, counted per client address and per username.
        "login": env_str("LOGIN_RATE", "10/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Support Ticket API",
    "DESCRIPTION": "Create, browse, update and triage support tickets, with AI suggestions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_common_responses",
    ],
    # The docs page's scripts are served by the API itself, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# One schema name per choice set, whichever field uses it (the ticket's own
# category or classify's suggestion); without this `check --deploy` warns.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "CategoryEnum": "tickets.models.Category",
    "PriorityEnum": "tickets.models.Priority",
    "StatusEnum": "tickets.models.Status",
}

# The LLM that suggests a category and priority. Any OpenAI-compatible server
# works through OPENAI_BASE_URL (OpenAI itself when unset).
OPENAI_API_KEY = env_str("OPENAI_API_KEY")
OPENAI_BASE_URL = env_str("OPENAI_BASE_URL") or None
OPENAI_MODEL = env_str("OPENAI_MODEL", "gpt-4o")
OPENAI_TIMEOUT = env_number("OPENAI_TIMEOUT", 10.0, float)
CLASSIFY_CACHE_SECONDS = env_number("CLASSIFY_CACHE_SECONDS", 24 * 60 * 60)
# The bill's ceiling, shared by every process: LLM calls and tokens per UTC day
# (0: no ceiling). Beyond either, classify answers the defaults at once.
CLASSIFY_DAILY_LIMIT = env_number("CLASSIFY_DAILY_LIMIT", 5000)
CLASSIFY_DAILY_TOKEN_LIMIT = env_number("CLASSIFY_DAILY_TOKEN_LIMIT", 0)
# LLM calls one process waits on at a time (at most 16); more answer the defaults at once.
CLASSIFY_MAX_IN_FLIGHT = env_number("CLASSIFY_MAX_IN_FLIGHT", 4)
# Past tickets most similar to the description, with their current labels, shown
# to the LLM as examples (0 turns this off).
CLASSIFY_EXAMPLES = env_number("CLASSIFY_EXAMPLES", 3)
if not 0 <= CLASSIFY_EXAMPLES <= 10:
    raise ImproperlyConfigured(f"CLASSIFY_EXAMPLES must be between 0 and 10, got {CLASSIFY_EXAMPLES}")
# Without a usable LLM answer: the brief's defaults, or a vote of similar labelled tickets.
CLASSIFY_FALLBACK = env_str("CLASSIFY_FALLBACK", "defaults").lower()
if CLASSIFY_FALLBACK not in {"defaults", "similar"}:
    raise ImproperlyConfigured(
        f"CLASSIFY_FALLBACK must be 'defaults' or 'similar', got {CLASSIFY_FALLBACK!r}"
    )
# A suggestion can be linked to a ticket created within this many seconds of it.
TRIAGE_SUGGESTION_MAX_AGE_SECONDS = env_number("TRIAGE_SUGGESTION_MAX_AGE_SECONDS", 24 * 60 * 60)

# The live event stream (live/): served by its own ASGI process (`python -m live`).
LIVE_HEARTBEAT_SECONDS = env_number("LIVE_HEARTBEAT_SECONDS", 15.0, float)
LIVE_RETENTION_SECONDS = max(600, env_number("LIVE_RETENTION_SECONDS", 900))
LIVE_RETRY_MILLISECONDS = env_number("LIVE_RETRY_MILLISECONDS", 2000)
# Stream servers wake on NOTIFY (PostgreSQL) and also look every so often;
# SQLite has no NOTIFY, so they look often.
LIVE_POLL_SECONDS = env_number(
    "LIVE_POLL_SECONDS", 5.0 if DATABASES["default"]["ENGINE"].endswith("postgresql") else 0.5, float
)
# A reconnect that missed more events than this gets `reset` (reload) instead.
LIVE_CATCH_UP_LIMIT = env_number("LIVE_CATCH_UP_LIMIT", 1000)
# Events waiting for one slow client before its stream is closed (it reconnects and catches up).
LIVE_QUEUE_LIMIT = env_number("LIVE_QUEUE_LIMIT", 2000)
LIVE_THREADS = env_number("LIVE_THREADS", 4)
# While events keep coming, a stream server sends them in batches so that its writes
# to all open streams stay within this many per second (10 streams: a batch every
# 20 ms; 500 streams or more: a batch a second, never further apart). An event
# after a quiet spell goes out within ~20 ms.
LIVE_WRITES_PER_SECOND = max(1, env_number("LIVE_WRITES_PER_SECOND", 500))

# Production hardening. HTTPS redirects and HSTS belong to the proxy that
# terminates TLS; turn them on here with SECURE_SSL_REDIRECT / SECURE_HSTS_SECONDS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_number("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The SDK's debug logs carry request details; keep them out of ours.
        "openai": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "httpcore2": {"level": "WARNING"},
    },
}

TEST_RUNNER = "config.test_runner.PytestTestRunner"

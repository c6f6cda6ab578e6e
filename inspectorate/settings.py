"""Settings for inspectorate, read from environment variables.

`DEBUG=1` (set by `make demo` / `make test`) allows development fallbacks: a
SQLite file and secrets generated once into the git-ignored `.local/` folder.
Without DEBUG the process refuses to start unless SECRET_KEY,
INSPECTORATE_FIELD_KEY and INSPECTORATE_AUDIT_KEY are given.
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from inspectorate.core.env import SettingError, env_bool, env_int, env_list, env_str
from inspectorate.core.storage_config import storage_config

BASE_DIR = Path(__file__).resolve().parent.parent


def _fail(message: str) -> None:
    # One line naming the variable, no traceback: a wrong setting is an operator error.
    sys.stderr.write(f"inspectorate: configuration error: {message}\n")
    raise SystemExit(2)


def _dev_secrets() -> dict[str, str]:
    """Secrets for development, generated once into .local/dev-secrets.json (git-ignored)."""
    from cryptography.fernet import Fernet

    path = BASE_DIR / ".local" / "dev-secrets.json"
    data: dict[str, str] = dict(json.loads(path.read_text())) if path.exists() else {}
    wanted = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "INSPECTORATE_FIELD_KEY": lambda: Fernet.generate_key().decode(),
        "INSPECTORATE_AUDIT_KEY": lambda: secrets.token_urlsafe(32),
    }
    missing = [name for name in wanted if not data.get(name)]
    if not missing:
        return data
    # A checkout made before a secret existed gets the new one added; the existing ones are kept.
    for name in missing:
        data[name] = wanted[name]()
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return data


try:
    DEBUG = env_bool("DEBUG", False)
    _secret = env_str("SECRET_KEY")
    _field_key = env_str("INSPECTORATE_FIELD_KEY")
    _audit_key = env_str("INSPECTORATE_AUDIT_KEY")
    if not DEBUG:
        if not _secret:
            raise SettingError("SECRET_KEY is not set (required when DEBUG is off)")
        if not _field_key:
            raise SettingError("INSPECTORATE_FIELD_KEY is not set (required when DEBUG is off; a Fernet key)")
        if not _audit_key:
            raise SettingError(
                "INSPECTORATE_AUDIT_KEY is not set (required when DEBUG is off; a random secret of at least 32 characters)"
            )
    if _audit_key is not None and min(len(k.strip()) for k in _audit_key.split(",")) < 32:
        raise SettingError("INSPECTORATE_AUDIT_KEY is too short (each comma-separated key needs at least 32 characters)")
    if not _secret or not _field_key or not _audit_key:
        _dev = _dev_secrets()
        _secret = _secret or _dev["SECRET_KEY"]
        _field_key = _field_key or _dev["INSPECTORATE_FIELD_KEY"]
        _audit_key = _audit_key or _dev["INSPECTORATE_AUDIT_KEY"]
    SECRET_KEY: str = _secret
    INSPECTORATE_FIELD_KEY: str = _field_key
    # HMAC key(s) for the daily audit anchors; kept out of the database so that whoever can rewrite the
    # event table cannot re-sign the anchors. Comma-separated: the first signs, all verify (rotation).
    INSPECTORATE_AUDIT_KEY: str = _audit_key
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
    if not DEBUG and not ALLOWED_HOSTS:
        raise SettingError("ALLOWED_HOSTS is not set (required when DEBUG is off, comma-separated host names)")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    _db_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    try:
        _db = dj_database_url.parse(_db_url or "", conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise SettingError(f"DATABASE_URL is not a valid database URL ({exc})") from None
    LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
    # Public tracking page: wrong receipt code/secret pairs allowed per client address and per receipt code
    # within the window, after which every try (even a right one) answers 429 until the window has passed.
    TRACKING_MAX_FAILURES_PER_ADDRESS = env_int("TRACKING_MAX_FAILURES_PER_ADDRESS", 10)
    TRACKING_MAX_FAILURES_PER_CODE = env_int("TRACKING_MAX_FAILURES_PER_CODE", 5)
    TRACKING_WINDOW_MINUTES = env_int("TRACKING_WINDOW_MINUTES", 15)
    # Every spreadsheet import is refused before parsing beyond these (an xlsx's uncompressed size, rows per sheet).
    IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 30)
    IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20000)
    # API request bodies (JSON) nested deeper than this answer 400.
    API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
    TIME_ZONE_DISPLAY = env_str("INSPECTORATE_TIME_ZONE", "Asia/Shanghai")
    # Shared state of several app processes: rate-limit counters and version stamps go to this cache.
    # Empty = the local-memory cache of the embedded set-up (version stamps are then read from the database).
    REDIS_URL = env_str("REDIS_URL", "") or ""
    if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise SettingError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {REDIS_URL!r})")
    CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "inspectorate") or ""
    # The client address behind a reverse proxy: the request header the proxy appends the client's address to
    # (e.g. X-Forwarded-For), and how many proxies of ours append to it. Empty = use the connection's address.
    _proxy_header = (env_str("TRUSTED_PROXY_HEADER", "") or "").strip()
    TRUSTED_PROXY_HEADER = (
        _proxy_header
        if not _proxy_header or _proxy_header.startswith("HTTP_")
        else "HTTP_" + _proxy_header.upper().replace("-", "_")
    )
    TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
    if TRUSTED_PROXY_COUNT < 1:
        raise SettingError(f"TRUSTED_PROXY_COUNT must be 1 or more (got {TRUSTED_PROXY_COUNT})")
    # The scheduler (`manage.py run_scheduler`): seconds between looks at the job table.
    SCHEDULER_INTERVAL_SECONDS = env_int("SCHEDULER_INTERVAL_SECONDS", 60)
    # Nightly maintenance: finished exports' files and failed logins are removed after this many days.
    EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
    LOGIN_FAILURE_KEEP_DAYS = env_int("LOGIN_FAILURE_KEEP_DAYS", 30)
    # A background job (django-tasks) still "running" this many minutes after it started is taken to have lost
    # its worker (killed, machine gone): the hourly `fail_stale_tasks` run marks it failed (`core.stale_tasks`).
    TASK_STALE_MINUTES = env_int("TASK_STALE_MINUTES", 60)
    if TASK_STALE_MINUTES < 1:
        raise SettingError(f"TASK_STALE_MINUTES must be 1 or more (got {TASK_STALE_MINUTES})")
    # Optional map tile URL template ({z}/{x}/{y}); empty = draw jurisdiction boundaries only, fetch nothing.
    INSPECTORATE_MAP_TILES = env_str("INSPECTORATE_MAP_TILES", "") or ""
    # Evidence, attachments and exports: local disk (MEDIA_ROOT) or an S3-compatible store (STORAGE_BACKEND=s3).
    _default_storage = storage_config()
    # HTTPS (production profile; every one is off with DEBUG). Behind a TLS-terminating proxy name the header it
    # sets on https requests (SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto, value "https"); plain-http trials on
    # 127.0.0.1 set SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0.
    SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
    if SECURE_HSTS_SECONDS < 0:
        raise SettingError(f"SECURE_HSTS_SECONDS must be 0 or more (got {SECURE_HSTS_SECONDS})")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    _ssl_header = (env_str("SECURE_PROXY_SSL_HEADER", "") or "").strip()
    SECURE_PROXY_SSL_HEADER = (
        (_ssl_header if _ssl_header.startswith("HTTP_") else "HTTP_" + _ssl_header.upper().replace("-", "_"), "https")
        if _ssl_header
        else None
    )
    # Two-factor sign-in (accounts.otp): wrong codes allowed per user within the window, then every code is refused.
    OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
    OTP_WINDOW_MINUTES = env_int("OTP_WINDOW_MINUTES", 15)
except SettingError as err:
    _fail(str(err))

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("timeout", 20)
    _db["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    _db["OPTIONS"].setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "inspectorate.core",
    "inspectorate.audit",
    "inspectorate.accounts",
    "inspectorate.orgs",
    "inspectorate.campaigns",
    "inspectorate.complaints",
    "inspectorate.rectification",
    "inspectorate.accountability",
    "inspectorate.facilities",
    "inspectorate.hazards",
    "inspectorate.kpi",
    "inspectorate.fieldwork",
    "inspectorate.portal",
    "inspectorate.open311",
    "inspectorate.reports",
    "inspectorate.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "inspectorate.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "inspectorate.core.guards.RejectNulQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "inspectorate.accounts.otp.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inspectorate.core.storage.StorageErrorMiddleware",
    "inspectorate.core.dbfault.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "inspectorate.urls"
WSGI_APPLICATION = "inspectorate.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "inspectorate" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "inspectorate.accounts.context_processors.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "inspectorate" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")) or "media")
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "inspectorate.accounts.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "inspectorate.core.apiroles.HoldsRole"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "inspectorate.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "inspectorate.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "inspectorate.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "inspectorate API",
    "DESCRIPTION": (
        "Eco-environmental protection inspection and rectification (生态环境保护督察与整改).\n\n"
        "Open311 GeoReport v2 (public reports, 公众举报接口): [/open311/v2/docs/](/open311/v2/docs/), "
        "described by [/open311/v2/openapi.json](/open311/v2/openapi.json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Schema-generation notes are not deployment problems: `check --deploy` reports settings (tests/test_api_schema.py
    # keeps the schema itself in check).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": CACHE_KEY_PREFIX}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX}
}

TASKS = {"default": {"BACKEND": "inspectorate.core.task_backend.DatabaseBackend"}}
# Where a received complaint is classified, routed and checked for duplicates (complaints.actions.triage):
# "inline" in the request (the embedded default), "worker" in the task worker (the production profile, bin/serve).
INTAKE_TRIAGE = env_str("INTAKE_TRIAGE", "inline")
if INTAKE_TRIAGE not in ("inline", "worker"):
    raise SettingError(f"INTAKE_TRIAGE must be 'inline' or 'worker' (got {INTAKE_TRIAGE!r})")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "inspectorate@localhost")
# The address people reach the site at, for links in e-mails sent without a request (alerts, reminders).
PUBLIC_BASE_URL = (env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS preload is the domain owner's decision (a listing is hard to undo): off unless SECURE_HSTS_PRELOAD=1, and
# `check --deploy` is not to nag about it then.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (core.csp.ContentSecurityPolicyMiddleware): no inline script or style anywhere.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

INSPECTORATE_BRAND = _("Inspectorate")
AUTH_USER_MODEL = "accounts.User"
# Two-factor sign-in (accounts.otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Inspectorate"
# Wrong codes are limited by our shared attempt count (OTP_MAX_ATTEMPTS per OTP_WINDOW_MINUTES, accounts.otp), not by
# django-otp's per-device back-off, which refuses even a right code for a growing number of seconds after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
# One lock-out for every path that checks a password (login page, admin login, …).
AUTHENTICATION_BACKENDS = ["inspectorate.accounts.authentication.LockoutModelBackend"]

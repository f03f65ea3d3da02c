"""RJ Admin settings.

Everything comes from the environment, with defaults that are safe on a developer's machine
(healthchecks, cookiecutter-django). Every variable is listed in the README. A secret may also
be given as a path in ``<NAME>_FILE``.
"""

import base64
import os
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the content of the file named by NAME_FILE (Docker and Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off.")
    # Development only: one key generated once and kept in var/, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()


def _dev_secret(name: str, make) -> str:
    """A development-only secret, generated once into var/ (like SECRET_KEY); refused when DEBUG is off."""
    if not DEBUG:
        raise RuntimeError(f"{name} (or {name}_FILE) must be set when DEBUG is off.")
    key_file = VAR_DIR / name.lower()
    if not key_file.exists():
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Victims' contact details (victims/crypto.py, docs/victims.md): Fernet keys, comma-separated, newest
# first (the first encrypts, all decrypt), and the key of the HMAC that lets exact values be matched.
VICTIMS_ENCRYPTION_KEYS = [
    key.strip()
    for key in (
        env_secret("VICTIMS_ENCRYPTION_KEYS")
        or _dev_secret("VICTIMS_ENCRYPTION_KEYS", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    ).split(",")
    if key.strip()
]
VICTIMS_HASH_KEY = env_secret("VICTIMS_HASH_KEY") or _dev_secret("VICTIMS_HASH_KEY", lambda: secrets.token_urlsafe(48))

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "core",
    "restitution",
    "gardens",
    "donations",
    "community_service",
    "victims",
    "puppies",
    "classes",
    "boards",  # reads community service, classes and restitution through their selectors
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in rules (core/signin.py): the second factor's state on request.user, the idle timeout,
    # then the sign-in steps still due (second factor, a new password).
    "django_otp.middleware.OTPMiddleware",
    "core.signin.IdleTimeoutMiddleware",
    "core.signin.SignInStepsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rjadmin.urls"
WSGI_APPLICATION = "rjadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: PostgreSQL, the only engine. DATABASE_URL names a server (production, CI); without it,
# the embedded server in var/pgdata is started if need be and used (see rjadmin/embedded_pg.py).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    from rjadmin import embedded_pg

    DATABASES = {"default": embedded_pg.database_settings(VAR_DIR)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RJ Admin runs on PostgreSQL 15 or newer only: DATABASE_URL must be postgres://...")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in rules (core/signin.py; CJIS asks for them of criminal-justice systems). With DEBUG on, as in
# `make run`, the demo users sign in with the demo password alone.
# A session idle this many seconds is signed out (0: never), beside the SESSION_COOKIE_AGE maximum;
# the page warns SESSION_IDLE_WARNING seconds before.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=120)
# Two-factor sign-in (TOTP, django-otp): required of these roles when TWO_FACTOR_REQUIRED is on (by
# default when DEBUG is off), optional for everyone else.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_ROLES = ["administrator", "victim_services"]
OTP_TOTP_ISSUER = "RJ Admin"
# A password the validators above refuse still signs in, then must be changed at once (with DEBUG off
# by default: the demo password is such a password).
PASSWORD_CHECK_AT_SIGN_IN = env.bool("PASSWORD_CHECK_AT_SIGN_IN", default=not DEBUG)

# django-axes: an account is locked from one address after AXES_FAILURE_LIMIT failures, and from every
# address after AXES_ACCOUNT_FAILURE_LIMIT failures from any addresses (core.signin.AccountLockHandler).
AXES_HANDLER = "core.signin.AccountLockHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
# Plausibility limits of what people enter (core.dates.entry_date_problem, restitution.services): no
# entry or payment is dated before the program's records began, and no single payment is above
# PAYMENT_MAX dollars (a larger sum is a typing mistake, or several payments).
RECORDS_BEGIN = env.str("RECORDS_BEGIN", default="2000-01-01")
PAYMENT_MAX = env.int("PAYMENT_MAX", default=100_000)
# A payment above everything the person still owes plus this many dollars must be confirmed by who
# enters it (a typing slip such as 5000 for 50.00 is caught; an overpayment held as credit is allowed).
PAYMENT_CONFIRM_MARGIN = env.int("PAYMENT_CONFIRM_MARGIN", default=100)
# How long the nightly jobs' own rows are kept (core.retention): every night for SNAPSHOT_NIGHTS_KEPT
# nights, then the first night of each month for SNAPSHOT_MONTHS_KEPT months; readiness rows as long as
# the nights, but each person's last row before discharge for good. The agency's records schedule rules.
SNAPSHOT_NIGHTS_KEPT = env.int("SNAPSHOT_NIGHTS_KEPT", default=92)
SNAPSHOT_MONTHS_KEPT = env.int("SNAPSHOT_MONTHS_KEPT", default=84)
USE_I18N = True
USE_TZ = True
# Dates print one way everywhere: rjadmin/formats/en/formats.py wins over Django's English formats.
FORMAT_MODULE_PATH = ["rjadmin.formats"]
DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "M j, Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": env.str("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: EMAIL_URL such as smtp+tls://user:password@host:587; console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RJ Admin <rjadmin@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: production switches on with DEBUG off.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (core.security.SecurityHeadersMiddleware): scripts, styles and everything else
# from this site only; no inline script or style, no eval, no plugins, never inside a frame. Images may
# be data: URIs (the two-factor QR code). CSP_REPORT_URI adds a report-uri for a report collector.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        *([f"report-uri {env.str('CSP_REPORT_URI')}"] if env.str("CSP_REPORT_URI", default="") else []),
    ]
)
# Browser features no page uses are switched off.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport in var/, which
# still lets a real worker and beat run as their own processes (slower: it polls).
REDIS_URL = os.environ.get("REDIS_URL", "")
# A CSV upload of more rows than this is checked and committed by a worker, with a progress bar.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)

CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=3600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=3300)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# PostgreSQL work_mem for the nightly compliance statement only (SET LOCAL: that transaction).
RESTITUTION_JOB_WORK_MEM = env.str("RESTITUTION_JOB_WORK_MEM", default="256MB")
COMMUNITY_SERVICE_JOB_WORK_MEM = env.str("COMMUNITY_SERVICE_JOB_WORK_MEM", default="256MB")
# Community service: how long an agency's verification link works, and the largest signed sheet.
COMMUNITY_SERVICE_LINK_DAYS = env.int("COMMUNITY_SERVICE_LINK_DAYS", default=14)
COMMUNITY_SERVICE_SHEET_MAX_BYTES = env.int("COMMUNITY_SERVICE_SHEET_MAX_BYTES", default=5 * 1024 * 1024)


# The cache (cached dashboard panels and public figures, see core/freshness.py): Redis when
# REDIS_URL is set, shared by every worker; otherwise files in var/cache, shared by the processes
# that `make run` starts. Keys carry the database's name, so two databases never share a figure.
# The cache gets its own Redis database (CACHE_URL, by default the broker's number plus one):
# ``cache.clear()`` empties a whole Redis database and must never take the broker's queues with it.
def _next_redis_db(url: str) -> str:
    base, _, db = url.rstrip("/").rpartition("/")
    if base.startswith("redis") and db.isdigit() and "//" in base:
        return f"{base}/{(int(db) + 1) % 16}"
    return url.rstrip("/") + "/1"


CACHE_URL = env.str("CACHE_URL", default=_next_redis_db(REDIS_URL) if REDIS_URL else "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
CACHES["default"]["KEY_PREFIX"] = f"rj:{DATABASES['default'].get('NAME', '')}"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CELERY_FS_DIR = Path(env.str("CELERY_FS_DIR", default=str(VAR_DIR / "celery")))
    for sub in ("queue", "control", "results"):
        (CELERY_FS_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "polling_interval": 0.5,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_FS_DIR / 'results'}"

# Django REST framework and the OpenAPI schema.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.ScopedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RJ Admin API",
    "DESCRIPTION": "Restorative Justice program records, with the same scope rules as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in staff and their programs, not the public.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI served from our own static files: the browser never needs a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A snapshot's status and previous status share one choice set: one named enum for both.
    "ENUM_NAME_OVERRIDES": {
        "ComplianceStatusEnum": "restitution.choices.ComplianceStatus",
        "DogStatusEnum": "puppies.choices.DogStatus",
        "ApplicationStatusEnum": "puppies.choices.ApplicationStatus",
        "GoodWithEnum": "puppies.choices.GoodWith",
    },
    # Every operation documents its refusals (400, 401, 403, 404) as well as its success.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema.document_errors"],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

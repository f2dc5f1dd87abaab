"""Settings for Tsunagari, read from the environment.

Every value that can differ between a laptop, CI and production comes from an
environment variable. A malformed value stops start-up with a clear message
instead of running with a silent default.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envcontact(name: str, kind: str) -> str:
    """An optional contact detail: empty, or a plausible e-mail address / http(s) URL."""
    value = os.getenv(name, "").strip()
    if value and kind == "email" and (" " in value or value.count("@") != 1):
        raise ImproperlyConfigured(f"{name} must be an e-mail address, not {value!r}")
    if value and kind == "url" and not value.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) URL, not {value!r}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envints(name: str, default: str) -> list[int]:
    """A comma-separated list of positive integers."""
    items = envlist(name, default)
    if not all(item.isdigit() and int(item) > 0 for item in items):
        raise ImproperlyConfigured(f"{name} must be positive integers separated by commas")
    return [int(item) for item in items]


DEBUG = envbool("DEBUG", "false")
# The test suite runs over plain HTTP with the test client and a local live server.
TESTING = "pytest" in sys.modules or envbool("TESTING", "false")
# The development key is refused in production by the system check tsunagari.E001.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = os.getenv("SECRET_KEY", DEV_SECRET_KEY)
# Production (DEBUG off, served over HTTPS) gets secure cookies, HSTS and real e-mail;
# set HTTPS=false only for a local run without TLS (the demo does this).
# A demo site (make demo) says on every page that its data are samples.
DEMO = envbool("DEMO", "false")
HTTPS = envbool("HTTPS", "false" if DEBUG or TESTING else "true")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The address e-mailed links point at. In production it defaults to the first allowed
# host over HTTPS, so that invitations never link to a developer's machine.
SITE_URL = os.getenv(
    "SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if HTTPS and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    # Two-factor sign-in: TOTP devices and recovery codes (static devices).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: its `db_worker` command is replaced by core's (put back
    # the tasks of a dead worker, stop cleanly).
    "tsunagari.core",
    "django_tasks_db",
    "tsunagari.accounts",
    "tsunagari.geo",
    "tsunagari.members",
    "tsunagari.audit",
    "tsunagari.directory",
    "tsunagari.matching",
    "tsunagari.surveys",
    "tsunagari.helplines",
    "tsunagari.twofactor",
    "tsunagari.backups",
    "tsunagari.supporters",
    "tsunagari.awareness",
    "tsunagari.news",
    "tsunagari.collaborations",
    "tsunagari.groups",
    "tsunagari.councils",
    "tsunagari.meetings",
    "tsunagari.network",
    "tsunagari.cases",
    "tsunagari.rollout",
    "tsunagari.insights",
]

MIDDLEWARE = [
    # One log line per request, with its id (X-Request-ID): tsunagari/core/requestlog.py
    "tsunagari.core.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # やさしい日本語 on public pages (?wording=easy, a cookie): tsunagari/core/wording.py
    "tsunagari.core.wording.EasyJapaneseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The secretariat and municipality officers (and staff who chose it) pass a second
    # factor before any other page: tsunagari/twofactor/middleware.py
    "tsunagari.twofactor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tsunagari.urls"
WSGI_APPLICATION = "tsunagari.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tsunagari.core.context_processors.site",
                "tsunagari.core.wording.wording",
            ],
            "builtins": ["tsunagari.core.templatetags.wareki"],
        },
    },
    # E-mails are plain text: rendered without HTML escaping (a subject with "quotes"
    # or & stays as typed). Only tsunagari/core/mail.py and the password reset use it.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["tsunagari.core.templatetags.wareki"]},
    },
]

# SQLite file by default (the embedded default); PostgreSQL when DATABASE_URL is set.
VAR_DIR = Path(os.getenv("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The matching engine's seed store (memory-mapped arrays shared by the processes of one
# machine): local disk, one per machine; rebuilt from the database when missing.
MATCHING_STORE_DIR = Path(os.getenv("MATCHING_STORE_DIR", str(VAR_DIR / "matching")))
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        # JIT compiling adds ~20 ms to short queries (the search) and saves nothing here.
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
        # Django's own connection pool (psycopg-pool), one per process: a request borrows
        # a connection and gives it back, and a connection the server dropped (a restart,
        # a failover) is tested before it is lent. On by default in production; the test
        # suite opens and drops test databases, so it keeps plain connections there.
        if envbool("DATABASE_POOL", "false" if TESTING else "true"):
            from psycopg_pool import ConnectionPool

            DATABASES["default"]["OPTIONS"]["pool"] = {
                "min_size": envint("DATABASE_POOL_MIN_SIZE", "1"),
                "max_size": envint("DATABASE_POOL_MAX_SIZE", "4"),
                # Seconds a request waits for a free connection before it fails.
                "timeout": envint("DATABASE_POOL_TIMEOUT", "10"),
                "check": ConnectionPool.check_connection,
            }
        else:
            DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", "60")
            DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "tsunagari.sqlite3"),
            # WAL lets the task worker and the web process share the file.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
# Where `manage.py backup` writes its sets (docs/backup.md); never backed up itself.
# Point it at another disk, and copy the sets off the machine.
BACKUP_DIR = Path(os.getenv("BACKUP_DIR", str(VAR_DIR / "backups")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tsunagari.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
# Uploaded files (meeting documents): private, served only by views that check access
# (no MEDIA_URL route); back them up with the database (manage.py backup does). Tests
# write theirs to a scratch folder of their own, never into a site's files.
MEDIA_ROOT = Path(
    os.getenv(
        "MEDIA_ROOT",
        str(Path(tempfile.gettempdir()) / f"tsunagari-test-media-{os.getpid()}")
        if TESTING
        else str(VAR_DIR / "media"),
    )
)
# Meetings: the largest document (PDF, slides) a meeting may carry, in megabytes.
MEETING_DOCUMENT_MAX_MB = envint("MEETING_DOCUMENT_MAX_MB", "10")
CASE_PHOTO_MAX_MB = envint("CASE_PHOTO_MAX_MB", "5")

# Invitation links (set-password links) stay valid for a week.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600
# Failed sign-ins (accounts/backends.py): this many for one account from one network, in a
# window of LOGIN_LOCKOUT_MINUTES from the last failure, stop that network trying it; from
# all networks together they start a growing delay between tries.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")

LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", "15")
# Failed sign-ins from one network across all accounts (one password tried on many).
LOGIN_NETWORK_FAILURE_LIMIT = envint("LOGIN_NETWORK_FAILURE_LIMIT", "20")
# After LOGIN_FAILURE_LIMIT failures an account takes one try per delay, doubling from this.
LOGIN_BACKOFF_SECONDS = envint("LOGIN_BACKOFF_SECONDS", "30")
# Two-factor sign-in (docs/security.md). Codes tried per account and per
# network in each window; the TOTP device adds its own growing delay after each failure.
TWOFACTOR_ACCOUNT_LIMIT = envint("TWOFACTOR_ACCOUNT_LIMIT", "10")
TWOFACTOR_NETWORK_LIMIT = envint("TWOFACTOR_NETWORK_LIMIT", "30")
TWOFACTOR_WINDOW_MINUTES = envint("TWOFACTOR_WINDOW_MINUTES", "15")
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Tsunagari")

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
# やさしい日本語 is a wording of Japanese, not a language: its catalogue is locale/ja_Easy
# (code "ja-easy"), switched on by tsunagari.core.wording and never listed in LANGUAGES.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic's output, which nginx serves. A container image keeps it in the image
# (STATIC_ROOT=/srv/tsunagari/static), away from the VAR_DIR volume.
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATIC_MANIFEST = envbool("STATIC_MANIFEST", "true" if HTTPS else "false")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Production (HTTPS) runs collectstatic, which writes hashed, compressed
            # names (app.3f2a9c1b7d4e.css) that nginx caches for ever; pages link to them.
            # The demo and the tests serve the plain files without collectstatic.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve from the finders when collectstatic has not run (demo, tests).
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# Background work goes through Django's Tasks framework to a persistent queue in the
# database; `manage.py db_worker` runs it.
# Rate limits (public forms) count in the cache. One process: local memory. Several web
# processes share counts through Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/0.
REDIS_URL = os.getenv("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Two sites may share one Redis database: each its own prefix.
            "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "tsunagari"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Sessions: in the database, read through the cache when the cache is shared (Redis), so
# that every web process knows a session and most requests read it without a query.
SESSION_ENGINE = os.getenv(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db",
)

# Anonymous visitors' pages (home, search, a resource, the self-check, its results, the
# services API) come from the cache for at most this many seconds; any change to the data
# behind them shows at once (tsunagari/lib/pagecache.py). 0 turns the page cache off.
# It is on by default only with the shared cache (REDIS_URL): a process's own memory would
# not hear of changes made by the other web processes or the task worker.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "600" if REDIS_URL or TESTING else "0")

# Throttles of the public JSON API (tsunagari/lib/throttle.py), requests per network (an
# IPv4 address or an IPv6 /64) per minute; over the limit the API answers 429 with
# Retry-After. Generous enough for a school class of 40 behind one address
# (docs/security.md); the API fuzz run (scripts/api-fuzz) raises them.
API_THROTTLE_READS_PER_MINUTE = envint("API_THROTTLE_READS_PER_MINUTE", "600")
API_THROTTLE_SCORES_PER_MINUTE = envint("API_THROTTLE_SCORES_PER_MINUTE", "120")

TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# The worker (manage.py db_worker, tsunagari/core/management/commands/db_worker.py): a
# task RUNNING longer than the lease is taken for dead (its worker killed) and put back;
# it must exceed the longest task (an SMTP send: a few round trips of the 20 s timeout).
TASK_LEASE_SECONDS = envint("TASK_LEASE_SECONDS", "300")
# On SIGTERM the worker lets the running task finish for this long, then puts it back.
TASK_STOP_GRACE_SECONDS = envint("TASK_STOP_GRACE_SECONDS", "5")
# The worker writes a heartbeat this often (core.WorkerHeartbeat); /readyz answers 503 when
# the newest is older than READY_WORKER_MAX_AGE_SECONDS (more than the longest task, as a
# worker running a task does not beat), or when a task has waited to run longer than
# READY_TASK_MAX_AGE_SECONDS (the workers are too few, or stuck).
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", "10")
READY_WORKER_MAX_AGE_SECONDS = envint("READY_WORKER_MAX_AGE_SECONDS", "120")
READY_TASK_MAX_AGE_SECONDS = envint("READY_TASK_MAX_AGE_SECONDS", "600")
# `manage.py prune_task_results` (a daily timer) deletes finished task results this old.
TASK_RESULT_KEEP_DAYS = envint("TASK_RESULT_KEEP_DAYS", "14")
# A failed e-mail is tried again after each of these delays (minutes), then shown to the
# secretariat as undelivered (/secretariat/mail/): 1 + 5 tries over about 9 hours.
MAIL_RETRY_DELAYS = [60 * m for m in envints("MAIL_RETRY_MINUTES", "1,5,30,120,360")]

DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "tsunagari@example.jp")
SECRETARIAT_EMAIL = os.getenv("SECRETARIAT_EMAIL", "secretariat@example.jp")
# The contact office (お問い合わせ先) shown in the footer, on thanks pages and in e-mails.
# Only what is set is shown; a demo without these shows marked sample values instead
# (core/context_processors.py). The name defaults to the office the pages always named.
CONTACT_OFFICE_NAME = os.getenv("CONTACT_OFFICE_NAME", "").strip()
CONTACT_OFFICE_PHONE = envcontact("CONTACT_OFFICE_PHONE", "phone")
CONTACT_OFFICE_EMAIL = envcontact("CONTACT_OFFICE_EMAIL", "email")
CONTACT_OFFICE_URL = envcontact("CONTACT_OFFICE_URL", "url")
# Production sends through SMTP; a local run (DEBUG, tests, the demo) prints e-mails on
# the console. `check --deploy` refuses the console backend (mail.E001).
EMAIL_BACKEND_CLASS = os.getenv("EMAIL_BACKEND_CLASS") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if HTTPS
    else "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_CLASS,
        "OPTIONS": (
            {
                "host": os.getenv("SMTP_HOST", "localhost"),
                "port": envint("SMTP_PORT", "25"),
                "username": os.getenv("SMTP_USER", ""),
                "password": os.getenv("SMTP_PASSWORD", ""),
                "use_tls": envbool("SMTP_USE_TLS", "false"),
                "timeout": 20,
            }
            if EMAIL_BACKEND_CLASS.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}

# The directory's maps: a tile server URL template ({z}/{x}/{y}) and its attribution
# (HTML, shown on the map). An empty MAP_TILE_URL shows the places without tiles.
MAP_TILE_URL = os.getenv(
    "MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
).strip()
MAP_ATTRIBUTION = os.getenv(
    "MAP_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)


def tile_origin(url: str) -> list[str]:
    """The scheme and host of the tile server, for the CSP; nothing when there are no tiles."""
    if not url:
        return []
    scheme, sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    if not sep or scheme not in ("http", "https") or not host or "{" in host.replace("{s}", ""):
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an http(s) URL template, not {url!r}")
    # Tile servers with subdomains ({s}.tile.example.org) are allowed by a wildcard.
    return [f"{scheme}://{host.replace('{s}', '*')}"]


# Security. Content Security Policy with per-request nonces; nothing from other origins
# but the map tiles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *tile_origin(MAP_TILE_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "true")
# Behind our own reverse proxy, trust its X-Forwarded-Proto and X-Forwarded-For (the
# rate limits of public forms count the last X-Forwarded-For entry).
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# A load balancer's health checks reach the app servers over plain HTTP: no redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Logs go to standard error (systemd's journal, the container's log). LOG_FORMAT=json writes
# one JSON object a line (tsunagari/lib/jsonlog.py) for a log collector; plain is for
# people. Each request is one line of the logger tsunagari.request (core/requestlog.py),
# which is on by default with json and off with plain (runserver logs requests itself).
LOG_FORMAT = os.getenv("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOG_REQUESTS = envbool("LOG_REQUESTS", "true" if LOG_FORMAT == "json" else "false")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        "json": {"()": "tsunagari.lib.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    "loggers": {
        "tsunagari.request": {
            "handlers": ["console"],
            "level": "INFO" if LOG_REQUESTS else "WARNING",
            "propagate": False,
        },
    },
}
SURVEY_PDF_FONT = os.getenv("SURVEY_PDF_FONT", "")
# つながりサポーター: the participants' personal data (name, contact, age band, needs) is
# erased this many days after their course ended (`manage.py purge_supporter_data`).
SUPPORTERS_RETENTION_DAYS = envint("SUPPORTERS_RETENTION_DAYS", "1095")

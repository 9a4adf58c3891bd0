"""Settings of the PMO application.

Everything comes from the environment (see README, "Configuration"). With nothing set
the application runs on embedded defaults: a SQLite file and a Celery broker in a
folder, so that a fresh machine can start it with one command.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, SELF

from pmo.core.auth.passwords import PROFILES as PASSWORD_PROFILES
from pmo.core.auth.passwords import validators_for as password_validators_for

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("PMO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for a development server)."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("PMO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pmo.core",
    "pmo.reports",
    "portfolio",
    "decisions",
    "delivery",
    "standards",
    "talent",
    "evaluation",
    "knowledge",
    "culture",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pmo.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pmo.core.auth.sessions.SessionTimeoutMiddleware",
    "pmo.core.auth.gate.SignInGateMiddleware",
    "pmo.core.queue.QueueNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the lockout flag that a failed login sets on the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pmo.urls"
WSGI_APPLICATION = "pmo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pmo.core.context_processors.shell",
            ],
            "builtins": ["pmo.core.templatetags.pmo_format"],
        },
    }
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pmo.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Fails soft (pmo.core.cache): with Redis down pages are served without the cache;
    # short socket timeouts keep a stalled server from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "pmo.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Passwords: two profiles (README, "Sign-in security"). "asvs" follows OWASP ASVS 5: long
# passwords, any characters, no composition rules, no forced rotation. "djbh" follows
# 等保2.0 level 3: complexity, no reuse of recent passwords and a maximum age.
PMO_PASSWORD_PROFILE = env.str("PMO_PASSWORD_PROFILE", default="asvs")
if PMO_PASSWORD_PROFILE not in PASSWORD_PROFILES:
    raise environ.ImproperlyConfigured("PMO_PASSWORD_PROFILE must be asvs or djbh.")
PMO_PASSWORD_MIN_LENGTH = env.int(
    "PMO_PASSWORD_MIN_LENGTH", default=12 if PMO_PASSWORD_PROFILE == "asvs" else 8
)
PMO_PASSWORD_HISTORY = env.int("PMO_PASSWORD_HISTORY", default=5)
# 0 switches rotation off; the asvs profile never rotates.
PMO_PASSWORD_MAX_AGE_DAYS = (
    env.int("PMO_PASSWORD_MAX_AGE_DAYS", default=90) if PMO_PASSWORD_PROFILE == "djbh" else 0
)
AUTH_PASSWORD_VALIDATORS = password_validators_for(
    PMO_PASSWORD_PROFILE, min_length=PMO_PASSWORD_MIN_LENGTH, history=PMO_PASSWORD_HISTORY
)
AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the user name is locked out at this address.
    "pmo.core.auth.lockout.LockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
# Absolute session lifetime (from sign-in) and idle timeout (since the last request).
SESSION_COOKIE_AGE = env.int("PMO_SESSION_AGE_SECONDS", default=8 * 3600)
PMO_SESSION_IDLE_MINUTES = env.int("PMO_SESSION_IDLE_MINUTES", default=30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login-failure lockout (django-axes): counted per user name *and* address, so a guesser
# is stopped at the source, while nobody can lock a colleague out from elsewhere and an
# office behind one proxy address is not locked out as a whole. Unknown user names are
# counted exactly like real ones, so the answer never tells whether a user exists.
PMO_LOGIN_FAILURE_LIMIT = env.int("PMO_LOGIN_FAILURE_LIMIT", default=5)
PMO_LOGIN_LOCKOUT_MINUTES = env.int("PMO_LOGIN_LOCKOUT_MINUTES", default=30)
AXES_FAILURE_LIMIT = PMO_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=PMO_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pmo.core.auth.lockout.lockout_response"
AXES_VERBOSE = False
# Sign-ins are recorded once, in the security events.
AXES_DISABLE_ACCESS_LOG = True
# The client address: the connection's, or behind PMO_PROXY_COUNT trusted reverse proxies
# the one the outermost proxy appended to X-Forwarded-For (never what the client wrote).
PMO_PROXY_COUNT = env.int("PMO_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "pmo.core.auth.lockout.client_ip"

LANGUAGE_CODE = env.str("PMO_DEFAULT_LANGUAGE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("PMO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media"), "base_url": "/files/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Report PDFs and other files no URL serves; views hand them out after a permission check.
PMO_PRIVATE_ROOT = Path(env.str("PMO_PRIVATE_ROOT", default=str(VAR_DIR / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
PMO_IMPORT_MAX_BYTES = env.int("PMO_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Most rows in one import file. A file of more than PMO_IMPORT_BACKGROUND_ROWS rows is
# checked and written by a Celery task while the page shows its progress, so no request
# has to wait for it; smaller files are handled within the request.
PMO_IMPORT_MAX_ROWS = env.int("PMO_IMPORT_MAX_ROWS", default=10_000)
PMO_IMPORT_BACKGROUND_ROWS = env.int("PMO_IMPORT_BACKGROUND_ROWS", default=1_000)
PMO_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "PMO_IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
PMO_IMPORT_MAX_COMPRESSION_RATIO = env.int("PMO_IMPORT_MAX_COMPRESSION_RATIO", default=100)

# Security audit log: days a security event is kept (等保 level 3 asks for at least six
# months; a system check refuses less), and whether one person may hold more than one
# of the system, security and audit administrator duties.
PMO_AUDIT_RETENTION_DAYS = env.int("PMO_AUDIT_RETENTION_DAYS", default=365)
PMO_SEPARATE_ADMIN_DUTIES = env.bool("PMO_SEPARATE_ADMIN_DUTIES", default=True)

# E-mail: smtp://user:password@host:port, or consolemail:// / filemail://.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the first character of the folder ("filemail:///srv/mail"
    # would become "srv/mail"): everything after "filemail://" is the folder.
    _EMAIL_FOLDER = env.str("EMAIL_URL", default="").partition("filemail://")[2]
    EMAIL_FILE_PATH = _EMAIL_FOLDER or str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PMO <pmo@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Chat robots (DingTalk, WeCom, Feishu): seconds to wait for a webhook, and hosts allowed
# besides the platforms' own (e.g. an intranet relay; plain http is then accepted).
CHAT_WEBHOOK_TIMEOUT = env.float("CHAT_WEBHOOK_TIMEOUT", default=5.0)
CHAT_WEBHOOK_EXTRA_HOSTS = env.list("CHAT_WEBHOOK_EXTRA_HOSTS", default=[])

# Celery: Redis when REDIS_URL is set, else a broker in a folder (no server needed).
CELERY_BROKER_FOLDER = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        # Broadcast (pidbox) messages too, or kombu writes ./control in the working directory.
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # A task taken by a worker that dies is given to another worker after this many
    # seconds (acks_late). It must exceed every task's time limit and retry delay, or a
    # task still running (or waiting for its retry) would be handed out twice; the
    # system check pmo.core.queue.check_visibility_timeout enforces it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200),
        # How often workers look for tasks of dead workers to hand out again (seconds,
        # and every how many looks Redis is actually scanned).
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Sending a task from a request: one quick retry, then the request goes on and says
# the work waits (pmo.core.queue); workers keep reconnecting until the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Work kept waiting in the database while the broker was away is sent again by beat.
PMO_SWEEP_SECONDS = env.float("PMO_SWEEP_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "pmo-queue-sweep": {"task": "pmo.core.tasks.queue_sweep", "schedule": PMO_SWEEP_SECONDS},
    "pmo-reports-sweep": {
        "task": "pmo.reports.tasks.sweep_waiting",
        "schedule": PMO_SWEEP_SECONDS,
    },
}
# Leases: a report run or a message claimed by a worker that died is taken over after
# these many seconds; both must exceed the longest task time limit.
PMO_REPORT_RUN_LEASE_SECONDS = env.int("PMO_REPORT_RUN_LEASE_SECONDS", default=660)
PMO_SEND_LEASE_SECONDS = env.int("PMO_SEND_LEASE_SECONDS", default=660)
# Fault injection for the reliability tests (seconds added to each report render); 0.
PMO_RENDER_DELAY_SECONDS = env.float("PMO_RENDER_DELAY_SECONDS", default=0.0)

# Production hardening, switched on by PMO_HTTPS=true behind TLS.
PMO_HTTPS = env.bool("PMO_HTTPS", default=False)
SECURE_SSL_REDIRECT = PMO_HTTPS
SESSION_COOKIE_SECURE = PMO_HTTPS
CSRF_COOKIE_SECURE = PMO_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if PMO_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PMO_HTTPS
SECURE_HSTS_PRELOAD = PMO_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PMO_HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# TOTP second factor: required of PMO administrators and the administrator duties when
# true; by default only behind TLS, so that a local demo signs in with a password alone.
PMO_ADMIN_TOTP_REQUIRED = env.bool("PMO_ADMIN_TOTP_REQUIRED", default=PMO_HTTPS)
OTP_TOTP_ISSUER = env.str("PMO_TOTP_ISSUER", default="PMO")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE],
        # ECharts writes tooltip markup with style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("PMO_LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

"""Settings of the portal, all read from the environment (see the configuration table in README.md).

With nothing set and DEBUG on, the portal runs on its embedded default: a SQLite file, Celery tasks
executed eagerly, emails written to the console. `make run` adds CELERY_DEV_BROKER_DIR: a real
worker and beat on kombu's filesystem broker. Production sets DEBUG off, a SECRET_KEY,
DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Management commands that only read code and sign nothing may run without a secret (developers'
# `makemigrations --check`, the image build's `collectstatic`): a throwaway key serves them.
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "collectstatic"}

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: generate one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"` '
            "and put it in the environment."
        )
    # Development only: a fixed key so sessions survive a restart of `make run`.
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "csp",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    # The portal's own apps; dependencies point one way (see docs/ARCHITECTURE.md).
    "core",
    "accounts",
    "members",
    "meetings",
    "decisions",
    "workplan",
    "referrals",
    "reports",
    "terms",
    "library",
]

MIDDLEWARE = [
    # First: an oversized body is refused before anything reads it.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# `make bench` only (core/bench.py): a query count on request and a bare view for the ratio. Never
# on in production.
BENCH = env.bool("BENCH", default=False)
if BENCH:
    MIDDLEWARE.insert(0, "core.bench.QueryCountMiddleware")

ROOT_URLCONF = "unnm.urls"
WSGI_APPLICATION = "unnm.wsgi.application"

# <select> written in Python, the rest of Django's form templates as they are (core/forms.py).
FORM_RENDERER = "core.forms.PortalFormRenderer"
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "csp.context_processors.nonce",
                "core.context_processors.portal",
            ],
            # `|bdi` everywhere without {% load %}: user-written values in mixed-direction text.
            "builtins": ["core.templatetags.bidi"],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# A connection per request costs PostgreSQL a new backend process and an authentication on every
# page; kept for a minute, a gunicorn worker reuses it (checked before reuse: CONN_HEALTH_CHECKS).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has the web server, the Celery worker and beat writing to one SQLite file. WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock when a transaction begins (a
    # deferred one that reads first cannot wait for it and fails with "database is locked"), and
    # the timeout lets a writer wait for the others instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "DATABASE_JIT", default=False
):
    # PostgreSQL compiles a query with LLVM when its estimated cost is high. The portal's pages
    # run short queries whose costs are overestimated (correlated counts, EXISTS): compiling
    # took 580 ms of a 1,029 ms query of the workplan's agency overview at the stress size, and
    # 2.9 s of a 5.3 s decisions export. Off for the portal's connections (DATABASE_JIT=true
    # turns it back on), as for most OLTP applications.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="unnm"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm (package-lock.json), served from node_modules; never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Stored files (meeting documents, generated PDFs) live in private storage, never under MEDIA_URL:
# only core:file_download hands them out, after asking the owning app (docs/JOBS_AND_FILES.md).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
PRIVATE_STORAGE_BACKEND = env.str("PRIVATE_STORAGE_BACKEND", default="filesystem")
if PRIVATE_STORAGE_BACKEND == "s3":
    # S3-compatible object storage (AWS S3, MinIO...) when several machines serve the portal.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("PRIVATE_STORAGE_BUCKET"),
            "endpoint_url": env.str("PRIVATE_STORAGE_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_STORAGE_REGION", default="") or None,
            "access_key": env.str("PRIVATE_STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("PRIVATE_STORAGE_SECRET_KEY", default="") or None,
            "location": env.str("PRIVATE_STORAGE_PREFIX", default="private"),
            # Objects stay private (the bucket's policy) and are never overwritten.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif PRIVATE_STORAGE_BACKEND == "filesystem":
    STORAGES["private"] = {"BACKEND": "core.storage.PrivateFileSystemStorage"}
else:
    raise ImproperlyConfigured("PRIVATE_STORAGE_BACKEND must be 'filesystem' or 's3'.")

# --- Accounts ----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[UNNM Portal] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    # allauth keeps these counters in the cache: Redis in production, so they hold across workers.
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "login": env.str("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "confirm_email": "1/3m/key",
    "signup": "20/m/ip",
}
# The client's address, which the per-IP rate limits count. Behind the reverse proxy every request
# comes from the proxy: without this, one person's failed sign-ins lock everyone out. Set the
# number of proxies in front of gunicorn that append to X-Forwarded-For (the compose stack: 1),
# or the header a single trusted proxy sets (e.g. X-Real-IP). 0 and empty: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_TOLERANCE = 1
# Roles (members.roles.Role values) that must sign in with an authenticator app (PRODUCT §2):
# such a person is sent to set one up before anything else. Off by default under DEBUG so the demo
# accounts of `make run` sign in with a password alone.
MFA_REQUIRED_FOR_ROLES = env.list(
    "MFA_REQUIRED_FOR_ROLES",
    default=[] if DEBUG else ["rco_admin", "referral_officer", "platform_admin"],
)
# Confirming access before a sensitive change (two-factor set-up) takes the password or a second
# factor; not an emailed code, which would let whoever reads the mailbox switch two-factor off.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# Key for encrypting TOTP secrets and recovery seeds at rest; derived from SECRET_KEY when unset.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="")

# --- Referrals (docs/PRODUCT.md §6; README: Referrals) ------------------------------------------

# Fernet keys encrypting referred people's data at rest, comma-separated: the first encrypts, all
# decrypt (MultiFernet), so a new key goes first and the old one stays until
# `manage.py rotate_referral_keys` has re-encrypted everything. Required when DEBUG is off
# (a system check refuses migrate/runserver without them); under DEBUG a development key is
# derived from SECRET_KEY so `make run` works out of the box.
REFERRALS_ENCRYPTION_KEYS = env.list("REFERRALS_ENCRYPTION_KEYS", default=[])
# Key of the HMAC over a normalised name and year of birth (the duplicate warning, no decryption).
REFERRALS_HMAC_KEY = env.str("REFERRALS_HMAC_KEY", default="")
if DEBUG and not REFERRALS_ENCRYPTION_KEYS:
    import base64
    import hashlib

    REFERRALS_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"referrals-development:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]
if DEBUG and not REFERRALS_HMAC_KEY:
    REFERRALS_HMAC_KEY = f"referrals-hmac-development:{SECRET_KEY}"
# Hours to acknowledge a referral, by urgency, before it escalates to the receiving focal point.
REFERRALS_ACKNOWLEDGE_HOURS = {
    "emergency": env.int("REFERRALS_ACK_HOURS_EMERGENCY", default=24),
    "high": env.int("REFERRALS_ACK_HOURS_HIGH", default=72),
    "normal": env.int("REFERRALS_ACK_HOURS_NORMAL", default=168),
}
# Identifying data of a closed (or withdrawn, declined) referral is erased this long after.
REFERRALS_RETENTION_MONTHS = env.int("REFERRALS_RETENTION_MONTHS", default=12)
# How long the statistics page keeps its counts (seconds); the page says when they were made.
REFERRALS_STATISTICS_CACHE_SECONDS = env.int("REFERRALS_STATISTICS_CACHE_SECONDS", default=600)
# Referral officers need an authenticator app to open the module (off only under DEBUG's demo).
REFERRALS_REQUIRE_MFA = env.bool("REFERRALS_REQUIRE_MFA", default=not DEBUG)

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

# --- Sessions and security headers ------------------------------------------------------------

SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60) * 60
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT_HOURS", default=12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Sessions are read on every request: from the cache (Redis in production), written through to
# the database, so a flushed cache signs nobody out. Signing out deletes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # The __Host- prefix makes the browser refuse the cookie unless Secure, path=/ and no Domain.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself (the compose stack's reverse proxy).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}

# --- Internationalisation ----------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["unnm.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Bahrain")
USE_I18N = True
USE_TZ = True

# --- Email -------------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="UNNM Portal <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Celery ------------------------------------------------------------------------------------

# The broker: CELERY_BROKER_URL when set, else Redis (production), else, when CELERY_DEV_BROKER_DIR
# names a folder, kombu's filesystem transport there (`make run`: a real worker and beat without
# Redis), else none at all: tasks run eagerly in the calling process.
CELERY_DEV_BROKER_DIR = env.str("CELERY_DEV_BROKER_DIR", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or (
    REDIS_URL or ("filesystem://localhost/" if CELERY_DEV_BROKER_DIR else "memory://")
)
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only once it has run, and handed back to the queue if its worker dies:
# late acks alone lose the task of a worker killed by the OOM killer or a deploy.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=400_000
)
CELERY_WORKER_MAX_TASKS_PER_CHILD = 1000
# Redis re-delivers an unacknowledged task after the visibility timeout: it must be longer than the
# longest task (the hard time limit), or a slow task would run twice at once, and longer than the
# longest retry countdown of the email task (15 minutes). Short, so that the task of a killed
# worker runs again soon; the email ledger (core.EmailLedgerEntry) keeps a re-run from sending
# twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(CELERY_TASK_TIME_LIMIT * 3, 960)}
if CELERY_BROKER_URL.startswith("filesystem://"):
    if not CELERY_DEV_BROKER_DIR:
        raise ImproperlyConfigured(
            "The filesystem broker needs CELERY_DEV_BROKER_DIR, the folder its messages live in."
        )
    # Development only: every process (web, worker, beat) reads and writes ONE queue folder, so
    # `in` and `out` are the same. Taken messages are moved to `processed` in the same folder tree:
    # a rename there is atomic, so two consumers can never take the same message.
    broker_dir = BASE_DIR / CELERY_DEV_BROKER_DIR
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "processed_folder": str(broker_dir / "processed"),
        "store_processed": True,
        "control_folder": str(broker_dir / "control"),
        # The worker looks for a message this often when it has none (kombu's default is 1 s,
        # which also caps it at one task a second with a prefetch of 1).
        "polling_interval": 0.2,
    }
    # kombu expects the folders to exist; whichever process starts first makes them.
    for folder in ("queue", "processed", "control"):
        (broker_dir / folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {}
# Core: tokens of forms sent long ago (core.submissions) are forgotten, and so are the email
# ledger's rows (core.tasks.purge_email_ledger_task) after EMAIL_LEDGER_RETENTION_DAYS.
EMAIL_LEDGER_RETENTION_DAYS = env.int("EMAIL_LEDGER_RETENTION_DAYS", default=400)
CELERY_BEAT_SCHEDULE |= {
    "core-purge-form-submissions": {
        "task": "core.tasks.purge_form_submissions_task",
        "schedule": crontab(hour=2, minute=40),
    },
    "core-purge-email-ledger": {
        "task": "core.tasks.purge_email_ledger_task",
        "schedule": crontab(hour=2, minute=50),
    },
}
# Members: pending invitations past their date are marked expired (links stop working anyway).
CELERY_BEAT_SCHEDULE |= {
    "members-expire-invitations": {
        "task": "members.tasks.expire_invitations_task",
        "schedule": crontab(hour=2, minute=10),
    },
}
# Meetings: reminders N days before (Network.meeting_reminder_days), chasers, weekly digest.
CELERY_BEAT_SCHEDULE |= {
    "meetings-reminders": {
        "task": "meetings.tasks.send_meeting_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    "meetings-rsvp-chasers": {
        "task": "meetings.tasks.send_rsvp_chasers_task",
        "schedule": crontab(hour=7, minute=15),
    },
    "meetings-overdue-action-digest": {
        "task": "meetings.tasks.send_overdue_action_digest_task",
        "schedule": crontab(hour=7, minute=30, day_of_week="sun"),
    },
}
# Decisions: close those whose deadline has come (every minute: the deadline is to the minute),
# and remind agencies without a position N days before (Network.decision_reminder_days).
DECISIONS_CLOSE_EVERY_SECONDS = env.int("DECISIONS_CLOSE_EVERY_SECONDS", default=0)
CELERY_BEAT_SCHEDULE |= {
    "decisions-close-due": {
        "task": "decisions.tasks.close_due_decisions_task",
        # Development and tests may tick faster (`make run` sets a few seconds).
        "schedule": timedelta(seconds=DECISIONS_CLOSE_EVERY_SECONDS)
        if DECISIONS_CLOSE_EVERY_SECONDS
        else crontab(minute="*"),
    },
    "decisions-reminders": {
        "task": "decisions.tasks.send_decision_reminders_task",
        "schedule": crontab(minute="*/15"),
    },
}
# Reports: remind the co-chairs before each half-year ends, and again if no report is final.
CELERY_BEAT_SCHEDULE |= {
    "reports-reminders": {
        "task": "reports.tasks.send_report_reminders_task",
        "schedule": crontab(hour=7, minute=45),
    },
}

# Terms of Reference: the co-chairs are reminded once on the anniversary of the current version.
CELERY_BEAT_SCHEDULE |= {
    "terms-review-reminder": {
        "task": "terms.tasks.send_terms_review_reminder_task",
        "schedule": crontab(hour=7, minute=50),
    },
}

# Referrals: escalate referrals not acknowledged in time; erase identifying data after retention.
CELERY_BEAT_SCHEDULE |= {
    "referrals-escalate-overdue": {
        "task": "referrals.tasks.escalate_overdue_referrals_task",
        "schedule": crontab(minute="*/15"),
    },
    "referrals-retention": {
        "task": "referrals.tasks.erase_expired_referrals_task",
        "schedule": crontab(hour=3, minute=20),
    },
}

# Background jobs (core.jobs): a running job older than the hard time limit plus this margin, or a
# job queued for longer than JOBS_QUEUED_TIMEOUT, is marked failed (with a Retry button).
JOBS_STUCK_MARGIN_SECONDS = 60
JOBS_QUEUED_TIMEOUT_SECONDS = 3600
CELERY_BEAT_SCHEDULE |= {
    "core-fail-stuck-jobs": {
        "task": "core.tasks.fail_stuck_jobs_task",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Logging -----------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403) is one line: who, what, why; never a traceback.
    "filters": {"refused_requests": {"()": "core.log_filters.RefusedRequestFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["refused_requests"]},
        "django.security.csrf": {"filters": ["refused_requests"]},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Portal ------------------------------------------------------------------------------------

# Where people reach the portal: links in emails and calendar files are made absolute with it.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# Reports: the co-chairs are reminded this many days before a half-year ends to prepare the
# bi-annual report, and again this many days after it ended if no report for it is final.
REPORT_REMINDER_DAYS_BEFORE = env.int("REPORT_REMINDER_DAYS_BEFORE", default=14)
REPORT_OVERDUE_DAYS_AFTER = env.int("REPORT_OVERDUE_DAYS_AFTER", default=14)

# Uploads (meeting documents, referral attachments) larger than this are refused with a message.
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE_MB", default=20) * 1024 * 1024
# The form fields of one request (files aside): far more than any form of the portal sends.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploaded files up to this size stay in memory; larger ones are streamed to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A request body larger than this is refused with 413 before it is read
# (core.middleware.RequestBodyLimitMiddleware); views receiving files allow MAX_UPLOAD_SIZE more.
REQUEST_BODY_MAX_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024

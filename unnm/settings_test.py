"""Settings for the test suite: PostgreSQL and Redis (DATABASE_URL, REDIS_URL), fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unnm")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CACHE_KEY_PREFIX", "unnm-test")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests run Celery tasks in-process unless a test starts a real worker (tests/core/test_celery.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Test-only referral keys (never used elsewhere); tests/referrals add their own for rotation.
os.environ.setdefault("REFERRALS_ENCRYPTION_KEYS", "dGVzdC1vbmx5LXJlZmVycmFscy1rZXktMDEyMzQ1Njc=")
os.environ.setdefault("REFERRALS_HMAC_KEY", "test-only-referrals-hmac-key")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Serve static files (node_modules included) from the finders: the browser tests need them.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two-factor set-up is not forced on the demo roles in tests (they sign in with force_login);
# tests/accounts/test_mfa_required.py turns it on.
MFA_REQUIRED_FOR_ROLES = []

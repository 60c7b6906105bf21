"""Settings for the test suite: PostgreSQL and Redis (DATABASE_URL, REDIS_URL), fast hashing.

The suite runs in parallel (`make test`: pytest-xdist, `-n auto`). Each xdist worker has its own
test database (pytest-django suffixes its name with the worker id, `test_unnm_gw0`) and its own
Redis namespace, see REDIS_NAMESPACE below.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unnm")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CACHE_KEY_PREFIX", "unnm-test")
# Tests point it at a tmp dir (tests/conftest.py); a test's worker subprocess gets it by env.
os.environ.setdefault(
    "PRIVATE_MEDIA_ROOT", str(Path(__file__).resolve().parent.parent / ".test-private-media")
)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tests run Celery tasks in-process unless a test starts a real worker (tests/core/test_celery.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Test-only referral keys (never used elsewhere); tests/referrals add their own for rotation.
os.environ.setdefault("REFERRALS_ENCRYPTION_KEYS", "dGVzdC1vbmx5LXJlZmVycmFscy1rZXktMDEyMzQ1Njc=")
os.environ.setdefault("REFERRALS_HMAC_KEY", "test-only-referrals-hmac-key")
# Links in emails and calendar files come from PORTAL_URL only (never the request's host).
os.environ.setdefault("PORTAL_URL", "http://testserver")
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

# --- One Redis namespace per xdist worker ---------------------------------------------------------
# Every Redis key the suite writes starts with this namespace, "unnm-test-<REDIS_URL's database>-
# <xdist worker>": the cache's keys with "<namespace>:", the Celery broker's "<namespace>-broker:".
# The xdist worker id ("gw0", "gw1"…) keeps the parallel workers of one run apart: a test that
# clears the cache or counts sign-in attempts only sees its own worker's keys, and a real Celery
# worker started by one xdist worker never consumes another's task. The Redis database number
# keeps apart runs that share one Redis server with different REDIS_URLs, when a test moves the
# broker to a fixed database (tests/core/test_celery.py). A subprocess a test starts (a `celery
# worker`, a `manage.py` command) inherits REDIS_URL and PYTEST_XDIST_WORKER, and so computes the
# same namespace.
_redis_database = (urlsplit(REDIS_URL).path.strip("/") or "0") if REDIS_URL else "none"  # noqa: F405
REDIS_NAMESPACE = "-".join(
    (
        os.environ["CACHE_KEY_PREFIX"],
        _redis_database,
        os.environ.get("PYTEST_XDIST_WORKER") or "main",
    )
)
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = REDIS_NAMESPACE  # noqa: F405
    # cache.clear() is FLUSHDB on Django's RedisCache: here it deletes this namespace's keys only.
    CACHES["default"]["BACKEND"] = "unnm.test_cache.NamespacedRedisCache"  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    # Not under the cache's "<namespace>:" either: clearing the cache leaves the broker's keys.
    "global_keyprefix": f"{REDIS_NAMESPACE}-broker:",
}

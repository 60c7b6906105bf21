"""Settings read from the environment, each case in a fresh interpreter with a clean environment."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "unnm.settings"
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name) for name in names}}, default=str))
"""
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_URL": "https://portal.example.org",
    "DATABASE_URL": "postgres://unnm:db-password@db.internal:5433/unnm",
    "REDIS_URL": "redis://redis.internal:6379/2",
    "REFERRALS_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLXRlc3Qta2V5LTAxMjM0NTY=",
    "REFERRALS_HMAC_KEY": secrets.token_urlsafe(32),
}


def _run(args, env):
    """Runs this interpreter in the project with nothing in its environment but `env`."""
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(BASE_DIR), "LANG": "C.UTF-8", **env}
    return subprocess.run(  # noqa: S603 - our own interpreter, our own arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(env, *names):
    result = _run(["-c", PROBE.format(names=names)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_missing_secret_key_with_debug_off_is_a_clear_error():
    result = _run(["-c", PROBE.format(names=("DEBUG",))], {"DEBUG": "false"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"], {"DEBUG": "false"})

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_serving_commands_still_require_the_secret_key():
    result = _run(["manage.py", "check"], {"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_defaults_to_off():
    result = _run(["-c", PROBE.format(names=("DEBUG",))], {})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_on_the_embedded_defaults():
    values = settings_with(
        {"DEBUG": "true"},
        "SECRET_KEY",
        "DATABASES",
        "CACHES",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_BROKER_URL",
        "EMAIL_BACKEND",
        "ALLOWED_HOSTS",
        "MFA_REQUIRED_FOR_ROLES",
    )

    assert values["SECRET_KEY"].startswith("django-insecure-")
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(BASE_DIR / "db.sqlite3")
    # No REDIS_URL: Celery runs tasks in-process and the cache is local memory.
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_BROKER_URL"] == "memory://"
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]
    assert values["MFA_REQUIRED_FOR_ROLES"] == []


def test_production_environment_is_parsed():
    values = settings_with(
        PRODUCTION,
        "DATABASES",
        "CACHES",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_BROKER_URL",
        "ALLOWED_HOSTS",
        "DEBUG",
    )

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "unnm",
        "unnm",
        "db-password",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", 5433)
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis.internal:6379/2"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://redis.internal:6379/2"
    assert values["ALLOWED_HOSTS"] == ["portal.example.org"]
    assert values["DEBUG"] is False


def test_production_security_settings():
    values = settings_with(
        PRODUCTION,
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
        "MFA_REQUIRED_FOR_ROLES",
        "ACCOUNT_EMAIL_VERIFICATION",
        "ACCOUNT_LOGIN_ON_PASSWORD_RESET",
        "AUTH_PASSWORD_VALIDATORS",
    )

    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SESSION_IDLE_TIMEOUT"] == 60 * 60
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60
    assert values["MFA_REQUIRED_FOR_ROLES"] == ["rco_admin", "referral_officer", "platform_admin"]
    assert values["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert values["ACCOUNT_LOGIN_ON_PASSWORD_RESET"] is False
    (min_length,) = [
        v["OPTIONS"]["min_length"]
        for v in values["AUTH_PASSWORD_VALIDATORS"]
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert min_length >= 12


def test_timeouts_and_mfa_roles_are_configurable():
    values = settings_with(
        {
            **PRODUCTION,
            "SESSION_IDLE_TIMEOUT_MINUTES": "15",
            "SESSION_ABSOLUTE_TIMEOUT_HOURS": "8",
            "MFA_REQUIRED_FOR_ROLES": "rco_admin,platform_admin",
        },
        "SESSION_IDLE_TIMEOUT",
        "SESSION_ABSOLUTE_TIMEOUT",
        "MFA_REQUIRED_FOR_ROLES",
    )

    assert values["SESSION_IDLE_TIMEOUT"] == 15 * 60
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 8 * 3600
    assert values["MFA_REQUIRED_FOR_ROLES"] == ["rco_admin", "platform_admin"]


@pytest.mark.parametrize("env", [{}, {"REDIS_URL": ""}], ids=["absent", "empty"])
def test_without_redis_celery_is_eager_and_the_cache_local(env):
    values = settings_with(
        {**PRODUCTION, "REDIS_URL": "", **env}, "CACHES", "CELERY_TASK_ALWAYS_EAGER"
    )

    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True


def test_check_deploy_passes_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_checks_fail_without_the_referral_keys():
    """Without its keys the portal does not start: referred people's data would be unprotected."""
    production = {
        key: value for key, value in PRODUCTION.items() if not key.startswith("REFERRALS_")
    }
    result = _run(["manage.py", "check"], production)

    assert result.returncode != 0
    assert "referrals.E001" in result.stderr + result.stdout


def test_check_deploy_fails_with_a_weak_secret_key():
    """The check above can fail: a short secret key is a deploy warning."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, "SECRET_KEY": "too-short"},
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.django_db
def test_postgresql_compiles_no_query_with_jit_on_the_portal_s_connections():
    """JIT compiling cost more than the short queries it compiled (settings: DATABASE_JIT)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)

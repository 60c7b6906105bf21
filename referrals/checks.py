"""Referrals refuse to run without their keys when DEBUG is off (README: Referrals)."""

import sys

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def check_referral_keys(app_configs, **kwargs):
    """Not deploy-only: migrate and runserver stop here, so the stack never starts keyless."""
    if len(sys.argv) > 1 and sys.argv[1] in getattr(settings, "KEYLESS_COMMANDS", ()):
        return []  # makemigrations and the like read code only, as for SECRET_KEY
    errors = []
    keys = settings.REFERRALS_ENCRYPTION_KEYS
    if not keys:
        errors.append(
            Error(
                "REFERRALS_ENCRYPTION_KEYS is not set: referred people's data cannot be encrypted.",
                hint='Generate one with python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"',
                id="referrals.E001",
            )
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.strip().encode())
        except ValueError:
            errors.append(
                Error(
                    f"Key {position} of REFERRALS_ENCRYPTION_KEYS is not a Fernet key.",
                    id="referrals.E002",
                )
            )
    if len(settings.REFERRALS_HMAC_KEY or "") < 16:
        errors.append(
            Error(
                "REFERRALS_HMAC_KEY is missing or shorter than 16 characters.",
                hint="Generate one with "
                'python -c "import secrets; print(secrets.token_urlsafe(32))"',
                id="referrals.E003",
            )
        )
    return errors

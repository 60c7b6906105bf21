"""Encryption at rest of referred people's data, and the keyed hash of the duplicate warning.

Keys come from settings (REFERRALS_ENCRYPTION_KEYS, REFERRALS_HMAC_KEY; README: Referrals).
`cryptography`'s MultiFernet encrypts with the first key and decrypts with any, which is what
key rotation needs (`manage.py rotate_referral_keys`).
"""

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=8)
def _multifernet(keys: tuple) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("REFERRALS_ENCRYPTION_KEYS is not set (README: Referrals).")
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "REFERRALS_ENCRYPTION_KEYS must be Fernet keys (Fernet.generate_key())."
        ) from error


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (read each call, so tests may change them)."""
    return _multifernet(tuple(settings.REFERRALS_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        # Never show the token: a missing key is a configuration error, not data to display.
        raise ImproperlyConfigured(
            "A referral field cannot be decrypted with REFERRALS_ENCRYPTION_KEYS "
            "(was a retired key removed before rotate_referral_keys ran?)."
        ) from error


def rotate(token: str) -> str:
    """The same plaintext encrypted under the first key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(bytes(data))


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A referral attachment cannot be decrypted with REFERRALS_ENCRYPTION_KEYS."
        ) from error


def rotate_bytes(token: bytes) -> bytes:
    return fernet().rotate(bytes(token))


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different person."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = "".join(ch if ch.isalnum() else " " for ch in letters.casefold()).split()
    return " ".join(words)


def person_hash(name: str, year_of_birth: str) -> str:
    """HMAC-SHA256 of the normalised name and year of birth; empty when either is missing."""
    name = normalise_name(name)
    year = (year_of_birth or "").strip()
    if not name or not year:
        return ""
    key = settings.REFERRALS_HMAC_KEY
    if not key:
        raise ImproperlyConfigured("REFERRALS_HMAC_KEY is not set (README: Referrals).")
    return hmac.new(key.encode(), f"{name}|{year}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: the database holds ciphertext only; '' stays ''.

    Lookups on it are meaningless (each encryption differs): never filter by it.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

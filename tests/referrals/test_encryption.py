"""Encryption at rest: raw SQL shows no plaintext; rotation re-encrypts and old rows still read;
the portal refuses to run without keys."""

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection

from referrals import crypto, services
from referrals.models import Referral

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db


def _raw_row(referral):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM referrals_referral WHERE id = %s", [referral.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def _raw_column(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_raw_row_shows_no_plaintext(rworld):
    referral = make_referral(rworld)
    services.message_post(
        referral=referral, body=f"{FICTIONAL_NAME} arrives", by=rworld.users["iom_referrals"]
    )
    raw = _raw_row(referral)
    for plaintext in [FICTIONAL_NAME, "Fictionland", "+000 5550 1234", "abusive", "Esperanto"]:
        assert plaintext not in raw
    assert FICTIONAL_NAME not in _raw_column(
        "referrals_referralmessage", "body", referral.messages.get().pk
    )
    assert "Protection assessment" not in _raw_column(
        "referrals_consent", "purpose", referral.consent.pk
    )
    # Through the model it reads back.
    assert Referral.objects.get(pk=referral.pk).full_name == FICTIONAL_NAME


def test_rotation_re_encrypts_and_old_rows_still_read(rworld, settings):
    old_key = settings.REFERRALS_ENCRYPTION_KEYS[0]
    referral = make_referral(rworld)
    old_token = _raw_column("referrals_referral", "full_name", referral.pk)

    new_key = Fernet.generate_key().decode()
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key, old_key]
    # Before rotation: the old row reads with the old key still listed.
    assert Referral.objects.get(pk=referral.pk).full_name == FICTIONAL_NAME

    call_command("rotate_referral_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    new_token = _raw_column("referrals_referral", "full_name", referral.pk)
    assert new_token != old_token
    assert Fernet(new_key.encode()).decrypt(new_token.encode()).decode() == FICTIONAL_NAME
    # The old key can be retired now.
    settings.REFERRALS_ENCRYPTION_KEYS = [new_key]
    fresh = Referral.objects.select_related("consent").get(pk=referral.pk)
    assert fresh.full_name == FICTIONAL_NAME
    assert fresh.consent.purpose == "Protection assessment"


def test_the_portal_refuses_to_run_without_keys(settings):
    settings.REFERRALS_ENCRYPTION_KEYS = []
    ids = {message.id for message in run_checks()}
    assert "referrals.E001" in ids
    settings.REFERRALS_ENCRYPTION_KEYS = ["not-a-key"]
    assert "referrals.E002" in {message.id for message in run_checks()}
    settings.REFERRALS_HMAC_KEY = ""
    assert "referrals.E003" in {message.id for message in run_checks()}


def test_duplicate_hash_is_keyed_and_normalised(settings):
    first = crypto.person_hash("Zéphyrine  Quillfeather", "1991")
    assert first == crypto.person_hash("zephyrine quillfeather", " 1991")
    assert first != crypto.person_hash("Zephyrine Quillfeather", "1990")
    settings.REFERRALS_HMAC_KEY = "another-key-of-sixteen-characters"
    assert first != crypto.person_hash("Zephyrine Quillfeather", "1991")
    assert crypto.person_hash("", "1991") == ""

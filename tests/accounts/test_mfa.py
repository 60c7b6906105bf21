"""TOTP two-factor authentication through allauth's real views, with secrets encrypted at rest."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.urls import reverse

from accounts.adapters import MFAAdapter

from .conftest import activate_totp, is_signed_in, sign_in, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_totp(client, person):
    sign_in(client, person.email)
    secret, recovery_codes = activate_totp(client)
    client.post(reverse("account_logout"))
    assert not is_signed_in(client)
    return person, secret, recovery_codes


def _raw_data(user, kind):
    """The authenticator's data column as stored, read with SQL rather than through the ORM."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Authenticator._meta.db_table)
        cursor.execute(
            f"SELECT data::text FROM {table} WHERE user_id = %s AND type = %s",  # noqa: S608
            [user.pk, kind],
        )
        (row,) = cursor.fetchall()
    return row[0]


def test_activating_totp_stores_the_secret_and_recovery_seed_encrypted(client, person):
    sign_in(client, person.email)
    secret, recovery_codes = activate_totp(client)

    raw_totp = _raw_data(person, "totp")
    assert secret not in raw_totp
    assert '"secret": "fernet:' in raw_totp
    stored = Authenticator.objects.get(user=person, type="totp").data["secret"]
    assert stored != secret
    assert MFAAdapter().decrypt(stored) == secret

    raw_codes = _raw_data(person, "recovery_codes")
    assert '"seed": "fernet:' in raw_codes
    assert all(code not in raw_codes for code in recovery_codes)
    assert len(recovery_codes) == 10


def test_signing_in_with_totp_asks_for_the_code_after_the_password(client, person_with_totp):
    person, secret, _codes = person_with_totp

    response = sign_in(client, person.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert is_signed_in(client)


def test_a_wrong_code_is_refused(client, person_with_totp):
    person, secret, _codes = person_with_totp
    sign_in(client, person.email)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert "is-invalid" in response.text
    assert not is_signed_in(client)


def test_a_replayed_code_is_refused(client, person_with_totp):
    person, secret, _codes = person_with_totp
    code = totp_code(secret)
    sign_in(client, person.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert is_signed_in(client)
    client.post(reverse("account_logout"))

    sign_in(client, person.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not is_signed_in(client)


def test_a_recovery_code_signs_in_once(client, person_with_totp):
    person, _secret, recovery_codes = person_with_totp
    sign_in(client, person.email)

    response = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})

    assert response.status_code == 302
    assert is_signed_in(client)
    client.post(reverse("account_logout"))
    sign_in(client, person.email)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_codes[0]})
    assert "Incorrect code." in response.text
    assert not is_signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": recovery_codes[1]})
    assert is_signed_in(client)


def test_a_secret_stored_in_clear_is_refused_rather_than_used(person):
    with pytest.raises(ValueError, match="unencrypted"):
        MFAAdapter().decrypt("JBSWY3DPEHPK3PXP")


def test_a_secret_encrypted_with_another_key_is_refused(person, settings):
    stored = MFAAdapter().encrypt("JBSWY3DPEHPK3PXP")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789-abcdef"

    with pytest.raises(ValueError, match="cannot be decrypted"):
        MFAAdapter().decrypt(stored)


def test_the_mfa_pages_use_the_portal_layout(client, person):
    sign_in(client, person.email)

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200
    assert 'class="card mb-3"' in response.text
    assert 'aria-label="Account settings"' in response.text
    assert reverse("mfa_activate_totp") in response.text


def test_guessing_codes_is_rate_limited(client, person_with_totp):
    person, secret, _codes = person_with_totp
    sign_in(client, person.email)
    for _attempt in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert "Too many failed login attempts" in response.text
    assert not is_signed_in(client)

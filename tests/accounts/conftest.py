"""Helpers for the account tests: real sign-in through allauth's views, TOTP codes from a secret."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def person(db):
    return UserFactory(email="amina.officer@example.org", full_name="Amina Officer")


def sign_in(client, email, password=TEST_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def totp_code(secret, *, periods_ago=0):
    """The code an authenticator app shows now for this base32 secret (RFC 6238, as allauth)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD - periods_ago
    return format_hotp_value(hotp_value(secret, counter))


def is_signed_in(client):
    return client.get(reverse("core:dashboard")).status_code == 200


def activate_totp(client, password=TEST_PASSWORD):
    """Sets up an authenticator app through allauth's own pages; returns (secret, recovery codes).

    The person is signed in with `client`. allauth asks for the password again first.
    """
    activate_url = reverse("mfa_activate_totp")
    response = client.get(activate_url)
    if response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    ):
        response = client.post(response["Location"], {"password": password})
        assert response.status_code == 302, response.content
        response = client.get(activate_url)
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    # The page shows the secret for typing into an app that cannot scan the QR code.
    assert re.search(rf'id="authenticator_secret"[^>]*value="{secret}"', response.text) or (
        f'value="{secret}"' in response.text
    )
    response = client.post(activate_url, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    codes = re.search(
        r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', response.text, re.S
    )
    return secret, codes.group(1).split()

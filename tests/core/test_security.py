"""Security headers on real responses, the admin behind allauth, sign-up closed."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.conftest import is_signed_in, sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _directives(header):
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_content_security_policy_uses_a_nonce_and_forbids_inline_script(client):
    response = client.get(reverse("account_login"))

    csp = _directives(response["Content-Security-Policy"])
    nonce = next(v for v in csp["script-src"] if v.startswith("'nonce-"))
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    # The page's scripts carry this response's nonce; no script is inline.
    value = nonce.removeprefix("'nonce-").removesuffix("'")
    assert f'nonce="{value}"' in response.text
    for script in re.findall(r"<script\b[^>]*>", response.text):
        assert "src=" in script or 'type="application/json"' in script, script


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("account_login"))["Content-Security-Policy"]
    second = client.get(reverse("account_login"))["Content-Security-Policy"]

    assert first != second


def test_no_template_has_inline_script_or_style_attributes():
    """The CSP would block them in the browser: catch them before a person does.

    Email bodies and PDF templates never reach a browser under the CSP and may use them.
    """
    from pathlib import Path

    from django.conf import settings

    offenders = []
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [
        app / "templates"
        for app in Path(settings.BASE_DIR).iterdir()
        if (app / "templates").is_dir() and app.name != ".venv"
    ]
    for root in roots:
        for path in root.rglob("*.html"):
            if {"email", "pdf"} & set(path.relative_to(root).parts[:-1]):
                continue
            text = path.read_text()
            if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text):
                offenders.append(f"{path}: inline <script>")
            if re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
                offenders.append(f"{path}: style= or on*= attribute")
    assert not offenders, offenders


def test_hsts_nosniff_and_referrer_policy_on_a_real_response(client):
    response = client.get(reverse("account_login"), secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("account_login"))

    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # The load balancer's health check is answered over plain HTTP.
    assert client.get("/healthz").status_code == 200


def test_the_admin_signs_in_through_allauth(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_posting_credentials_to_the_admin_login_does_not_sign_in(client):
    staff = UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)

    response = client.post("/admin/login/", {"username": staff.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_signed_in(client)


def test_a_staff_member_signed_in_through_allauth_reaches_the_admin(client):
    staff = UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)

    sign_in(client, staff.email)

    assert client.get("/admin/").status_code == 200


def test_a_signed_in_person_who_is_not_staff_is_refused_by_the_admin(client):
    person = UserFactory(email="someone@example.org")
    sign_in(client, person.email)

    response = client.get("/admin/login/")

    assert response.status_code == 403


def test_sign_up_is_closed_and_says_how_accounts_come(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert "Sign-up is closed" in response.text
    assert "invitation" in response.text

    password = "Long-enough-passphrase-42"
    client.post(
        reverse("account_signup"),
        {"email": "intruder@example.org", "password1": password, "password2": password},
    )
    assert not get_user_model().objects.filter(email="intruder@example.org").exists()

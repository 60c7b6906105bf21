"""Signing in and out through allauth's real views, on PostgreSQL and the Redis cache."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

from .conftest import is_signed_in, sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password_opens_the_dashboard(client, person):
    response = sign_in(client, "Amina.Officer@Example.org")  # the email is not case-sensitive

    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert is_signed_in(client)


def test_wrong_password_is_refused_with_a_message(client, person):
    response = sign_in(client, person.email, "Not-The-Password-42")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert not is_signed_in(client)


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, person):
    response = sign_in(client, "nobody@example.org", "Not-The-Password-42")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text


def test_the_rate_limit_on_failed_sign_ins_refuses_even_the_right_password(client, person):
    # The counters live in the real cache (Redis), as in production.
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    for _attempt in range(5):
        response = sign_in(client, person.email, "Not-The-Password-42")
        assert "not correct" in response.text

    response = sign_in(client, person.email)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    assert not is_signed_in(client)


def test_the_rate_limit_also_counts_failures_per_address_across_accounts(client, person):
    for number in range(10):
        sign_in(client, f"guess{number}@example.org", "Not-The-Password-42")

    response = sign_in(client, person.email)

    assert not is_signed_in(client)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text


def test_a_person_with_an_unverified_email_is_not_signed_in_and_gets_a_verification_email(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="new.person@example.org", verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, person.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_the_session_key_changes_at_sign_in(client, person):
    session = client.session
    session["seen_before_sign_in"] = True
    session.save()
    key_before = session.session_key

    sign_in(client, person.email)

    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert is_signed_in(client)


def test_the_old_session_cookie_is_dead_after_sign_out(client, person):
    sign_in(client, person.email)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert is_signed_in(client)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Session.objects.filter(session_key=old_cookie).exists()


def test_the_session_cookie_is_secure_httponly_and_samesite(client, person):
    response = sign_in(client, person.email)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # The test settings run with DEBUG off, as production does.
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    csrf = client.get(reverse("account_login")).cookies.get(settings.CSRF_COOKIE_NAME)
    if csrf is not None:
        assert csrf["secure"]
        assert csrf["samesite"] == "Lax"


def test_an_inactive_person_cannot_sign_in(client):
    person = UserFactory(email="left@example.org", is_active=False)

    sign_in(client, person.email)

    assert not is_signed_in(client)


def test_the_sign_in_page_has_no_sign_up_link_and_labelled_fields(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert reverse("account_signup") not in response.text
    assert "sign up" not in response.text.lower()
    assert '<label class="form-label" for="id_login">' in response.text
    assert '<label class="form-label" for="id_password">' in response.text
    assert reverse("account_reset_password") in response.text


def test_field_errors_are_marked_invalid_and_tied_to_the_input(client):
    response = client.post(reverse("account_login"), {"login": "not-an-email", "password": ""})

    text = response.text
    assert response.status_code == 200
    assert 'class="form-control is-invalid"' in text
    assert 'aria-invalid="true"' in text
    assert 'id="id_login_error"' in text
    assert 'aria-describedby="id_login_error"' in text
    assert 'class="invalid-feedback d-block" id="id_login_error"' in text


def test_passwords_shorter_than_twelve_characters_are_refused(client, person):
    sign_in(client, person.email)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": "Short-pw-11", "password2": "Short-pw-11"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_changing_the_password_keeps_the_person_signed_in(client, person):
    sign_in(client, person.email)
    new_password = "A-much-longer-passphrase-2026"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)
    assert is_signed_in(client)


def test_changing_the_password_signs_out_the_other_sessions(client, person):
    other_device = Client()
    sign_in(other_device, person.email)
    sign_in(client, person.email)
    new_password = "A-much-longer-passphrase-2026"

    client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password},
    )

    assert is_signed_in(client)
    assert not is_signed_in(other_device)

"""Password reset: a single-use emailed link that never signs in nor skips the second factor."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from .conftest import activate_totp, is_signed_in, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-Passphrase-for-2027"


def _request_reset(client, email, capture):
    with capture(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def _reset_link():
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)


def _set_new_password(client, link, password=NEW_PASSWORD):
    response = client.get(link)
    # allauth moves the key out of the URL into the session, then shows the form.
    if response.status_code == 302:
        link = response["Location"]
        response = client.get(link)
    assert response.status_code == 200
    assert "Bad Token" not in response.text
    return client.post(link, {"password1": password, "password2": password})


def test_password_reset_sends_a_link_that_sets_a_new_password_without_signing_in(
    client, person, django_capture_on_commit_callbacks
):
    _request_reset(client, person.email, django_capture_on_commit_callbacks)
    assert mail.outbox[0].to == [person.email]
    link = _reset_link()

    response = _set_new_password(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert not is_signed_in(client)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    sign_in(client, person.email, NEW_PASSWORD)
    assert is_signed_in(client)


def test_a_reset_link_works_once(client, person, django_capture_on_commit_callbacks):
    _request_reset(client, person.email, django_capture_on_commit_callbacks)
    link = _reset_link()
    _set_new_password(client, link)

    response = client.get(link, follow=True)

    assert "Bad Token" in response.text


def test_an_unknown_address_gets_the_same_answer_and_no_reset_link(
    client, person, django_capture_on_commit_callbacks
):
    _request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)

    assert all("/password/reset/key/" not in message.body for message in mail.outbox)


def test_a_reset_refuses_a_short_password(client, person, django_capture_on_commit_callbacks):
    _request_reset(client, person.email, django_capture_on_commit_callbacks)

    response = _set_new_password(client, _reset_link(), "Short-pw-11")

    assert response.status_code == 200
    assert "at least 12 characters" in response.text
    assert "is-invalid" in response.text


def test_a_password_reset_does_not_skip_the_second_factor(
    client, person, django_capture_on_commit_callbacks
):
    sign_in(client, person.email)
    activate_totp(client)
    client.post(reverse("account_logout"))
    mail.outbox.clear()

    _request_reset(client, person.email, django_capture_on_commit_callbacks)
    _set_new_password(client, _reset_link())
    assert not is_signed_in(client)

    response = sign_in(client, person.email, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)


def test_the_reset_pages_use_the_portal_layout(client):
    response = client.get(reverse("account_reset_password"))

    assert response.status_code == 200
    assert 'class="form-control"' in response.text
    assert "skip-link" in response.text
    assert reverse("account_login") in response.text


def test_the_reset_email_is_in_the_account_holders_language(
    client, person, django_capture_on_commit_callbacks
):
    person.preferred_language = "ar"
    person.save(update_fields=["preferred_language"])

    # Asked for from an English browser: the email still reads in the holder's Arabic.
    _request_reset(client, person.email, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert re.search(r"[\u0600-\u06ff]", message.subject), message.subject
    assert re.search(r"[\u0600-\u06ff]", message.body)

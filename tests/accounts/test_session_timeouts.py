"""Idle and absolute session timeouts (core.middleware.SessionTimeoutMiddleware)."""

import time

import pytest
from django.urls import reverse

from core.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

from .conftest import is_signed_in, sign_in

pytestmark = pytest.mark.django_db


def _shift(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_signing_in_starts_both_clocks(client, person):
    before = int(time.time())

    sign_in(client, person.email)

    session = client.session
    assert session[SESSION_STARTED_KEY] >= before
    assert session[SESSION_LAST_SEEN_KEY] >= before


def test_the_idle_timeout_signs_the_person_out(client, person, settings):
    sign_in(client, person.email)
    _shift(client, **{SESSION_LAST_SEEN_KEY: settings.SESSION_IDLE_TIMEOUT + 5})
    dashboard = reverse("core:dashboard")

    response = client.get(dashboard)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={dashboard}"
    assert not is_signed_in(client)
    response = client.get(reverse("account_login"))
    assert "Your session has expired. Please sign in again." in response.text


def test_activity_within_the_idle_timeout_keeps_the_session(client, person, settings):
    sign_in(client, person.email)
    _shift(client, **{SESSION_LAST_SEEN_KEY: settings.SESSION_IDLE_TIMEOUT - 60})

    assert is_signed_in(client)
    # The request moved the idle clock forward.
    assert client.session[SESSION_LAST_SEEN_KEY] >= int(time.time()) - 5


def test_the_absolute_timeout_signs_out_even_an_active_person(client, person, settings):
    sign_in(client, person.email)
    _shift(
        client,
        **{SESSION_STARTED_KEY: settings.SESSION_ABSOLUTE_TIMEOUT + 5, SESSION_LAST_SEEN_KEY: 10},
    )

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not is_signed_in(client)


def test_an_expired_htmx_request_is_redirected_by_htmx(client, person, settings):
    sign_in(client, person.email)
    _shift(client, **{SESSION_LAST_SEEN_KEY: settings.SESSION_IDLE_TIMEOUT + 5})

    response = client.get(reverse("core:dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("account_login")
    assert not is_signed_in(client)


def test_the_timeouts_come_from_the_settings(client, person, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    sign_in(client, person.email)
    _shift(client, **{SESSION_LAST_SEEN_KEY: 121})

    assert not is_signed_in(client)

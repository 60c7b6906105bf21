"""A refused request is logged as one line (who, what, why), never with a traceback."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from members.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _refusals(caplog):
    return [
        record
        for record in caplog.records
        if record.name in ("django.request", "django.security.csrf")
        and getattr(record, "status_code", None) == 403
    ]


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(client, caplog):
    guest = UserFactory(roles=[Role.GUEST])
    client.force_login(guest)
    url = reverse("members:organisation_create")

    with caplog.at_level(logging.WARNING):
        response = client.get(url + "?from=probe")

    assert response.status_code == 403
    (record,) = _refusals(caplog)
    assert record.exc_info is None
    message = record.getMessage()
    assert message.startswith(f"Refused GET {url}?from=probe for user {guest.pk}")
    assert "\n" not in message
    assert "Traceback" not in caplog.text


def test_a_csrf_refusal_is_logged_as_one_line_with_its_reason(caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("core:set_language"), {"language": "ar"})

    assert response.status_code == 403
    (record,) = _refusals(caplog)
    assert record.getMessage().startswith("Refused POST /language/ for user ")
    assert "CSRF" in record.getMessage()
    assert record.exc_info is None


def test_other_errors_keep_their_traceback():
    from core.log_filters import RefusedRequestFilter

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    record.status_code = 500

    assert RefusedRequestFilter().filter(record)
    assert record.exc_info is not None

"""allauth's emails speak in the portal's voice: they name the network, never a blank site, and
never invite a sign-up (accounts come from invitations)."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Network
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NETWORK = "UN Network on Migration in Bahrain"


@pytest.fixture(autouse=True)
def network(settings):
    settings.PORTAL_URL = "https://portal.example.org"
    network = Network.objects.get_current()
    network.name = NETWORK
    network.short_name = "UNNM-BH"
    network.save()
    return network


def _request_reset(client, email, capture):
    with capture(execute=True):
        client.post(reverse("account_reset_password"), {"email": email})
    (message,) = mail.outbox
    return message


def _assert_portal_voice(message):
    assert message.subject.startswith("[UNNM Portal] ")
    assert "Hello from" not in message.body
    assert NETWORK in message.body
    assert "https://portal.example.org" in message.body
    assert "sign up" not in message.body.lower()
    assert "signup" not in message.body.lower()


def test_account_email_for_unknown_address_names_the_network_and_invites_no_sign_up(
    client, django_capture_on_commit_callbacks
):
    message = _request_reset(client, "stranger@example.org", django_capture_on_commit_callbacks)

    _assert_portal_voice(message)
    assert "by invitation only" in message.body
    assert "stranger@example.org" in message.body
    assert "UNNM-BH" in message.subject


def test_account_email_for_password_reset_names_the_network(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="amina@example.org")

    message = _request_reset(client, person.email, django_capture_on_commit_callbacks)

    _assert_portal_voice(message)
    assert "/accounts/password/reset/key/" in message.body
    assert message.subject == "[UNNM Portal] Reset your password"


def test_account_notification_emails_name_the_network(rf, django_capture_on_commit_callbacks):
    from allauth.account.adapter import get_adapter
    from allauth.core import context
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with context.request_context(request), django_capture_on_commit_callbacks(execute=True):
        get_adapter(request).send_mail(
            "account/email/password_changed",
            "amina@example.org",
            {"ip": "203.0.113.9", "user_agent": "Firefox", "timestamp": "today"},
        )

    (message,) = mail.outbox
    _assert_portal_voice(message)
    assert "203.0.113.9" in message.body

"""Behind the reverse proxy, sign-in rate limits count each client, not the proxy: failed
sign-ins with unknown emails from other people cannot lock out a real account."""

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
ROOT = Path(__file__).resolve().parents[2]


def _sign_in(client, email, password, client_ip):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def _fail_ten_times_with_unknown_emails(ips):
    for number, ip in enumerate(ips):
        response = _sign_in(Client(), f"nobody{number}@example.org", "Not-The-Password-42", ip)
        assert "not correct" in response.text


def test_unknown_emails_from_other_clients_cannot_lock_out_a_real_account(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person = UserFactory(email="focal@example.org")
    _fail_ten_times_with_unknown_emails([f"203.0.113.{n}" for n in range(1, 11)])
    # The same attacker from one address, ten times more.
    _fail_ten_times_with_unknown_emails(["203.0.113.99"] * 10)

    response = _sign_in(Client(), person.email, TEST_PASSWORD, "198.51.100.7")

    assert response.status_code == 302, response.text
    assert "Too many failed login attempts" not in response.text


def test_without_the_trusted_proxy_everyone_behind_it_shares_one_lock_out(settings):
    # What the setting protects against: with it off, the proxy's address is everyone's.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    person = UserFactory(email="focal@example.org")
    _fail_ten_times_with_unknown_emails([f"203.0.113.{n}" for n in range(1, 11)])

    response = _sign_in(Client(), person.email, TEST_PASSWORD, "198.51.100.7")

    assert "Too many failed login attempts" in response.text


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(email="focal@example.org")
    # The client writes its own X-Forwarded-For; the proxy appends the real address.
    _fail_ten_times_with_unknown_emails([f"192.0.2.{n}, 203.0.113.5" for n in range(1, 11)])

    response = _sign_in(Client(), "focal@example.org", TEST_PASSWORD, "192.0.2.200, 203.0.113.5")

    assert "Too many failed login attempts" in response.text


def test_the_compose_stack_trusts_its_one_reverse_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"

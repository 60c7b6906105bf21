"""`manage.py seed_demo`: idempotent, refused in production, and every demo account signs in."""

from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from core.models import Network
from core.seeding import DEFAULT_DEMO_PASSWORD
from tests.conftest import DEMO_USERS

pytestmark = pytest.mark.django_db

# The accounts issue 2 promises (README: demo accounts), with what each must be.
UN_AGENCIES = {"IOM", "ILO", "UNHCR", "UNICEF", "WHO", "UNODC", "UN Women", "UNDP", "UNFPA"}


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def row_counts():
    """Rows of every model, the portal's apps and the third-party ones they fill (users' emails,
    groups, permissions)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_twice_gives_the_same_counts(settings):
    settings.DEBUG = True

    seed()
    first = row_counts()
    seed()
    second = row_counts()

    assert second == first
    # It did create the demo, so equal counts are not two empty databases.
    assert first["accounts.User"] >= len(DEMO_USERS)
    assert first["members.Organisation"] >= 20
    assert first["account.EmailAddress"] == first["accounts.User"]


def test_seed_demo_is_refused_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed()

    assert get_user_model().objects.count() == 0


def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    output = seed(force=True)

    assert "Demo data is in place." in output
    assert get_user_model().objects.filter(email="admin@example.org").exists()


def test_the_demo_network_and_every_demo_account_sign_in(settings):
    settings.DEBUG = True
    seed()

    network = Network.objects.get_current()
    assert network.decision_prefix == "UNNM-BH"
    assert network.time_zone == "Asia/Bahrain"
    organisations = set(apps.get_model("members", "Organisation").objects.values_list("acronym"))
    assert {(acronym,) for acronym in UN_AGENCIES} <= organisations

    User = get_user_model()
    for email in DEMO_USERS.values():
        user = User.objects.get(email=email)
        assert user.is_active, email
        assert user.full_name, email
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists(), email

        # Through the real sign-in view, as a person would.
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": email, "password": DEFAULT_DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert response["Location"] == "/", email
        signed_in = get_user(client)
        assert signed_in.is_authenticated, email
        assert signed_in.email == email

    assert User.objects.get(email="admin@example.org").is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(email="admin@example.org").exists()

    client = Client()
    refused = client.post(
        "/accounts/login/", {"login": "rco@example.org", "password": "Not-the-demo-password"}
    )
    assert refused.status_code == 200
    assert not get_user(client).is_authenticated


def test_demo_password_comes_from_the_environment(client, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "Another-Demo-Password-42")
    seed()

    refused = client.post(
        "/accounts/login/", {"login": "guest@example.org", "password": DEFAULT_DEMO_PASSWORD}
    )
    assert refused.status_code == 200
    accepted = client.post(
        "/accounts/login/",
        {"login": "guest@example.org", "password": "Another-Demo-Password-42"},
    )
    assert accepted.status_code == 302


def test_the_readme_and_make_run_give_the_real_demo_accounts_and_password():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    makefile = (root / "Makefile").read_text()

    assert f"**`{DEFAULT_DEMO_PASSWORD}`**" in readme
    assert f"${{DEMO_PASSWORD:-{DEFAULT_DEMO_PASSWORD}}}" in makefile
    for email in DEMO_USERS.values():
        assert f"| `{email}` |" in readme, email

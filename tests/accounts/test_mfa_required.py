"""Two-factor authentication required for RCO admins, referral officers and platform admins."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from members.roles import Role
from tests.factories import UserFactory

from .conftest import activate_totp, sign_in, totp_code

pytestmark = pytest.mark.django_db

REQUIRED = ["rco_admin", "referral_officer", "platform_admin"]


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_ROLES = REQUIRED


@pytest.fixture
def referral_officer(db):
    return UserFactory(email="referrals@example.org", roles=[Role.REFERRAL_OFFICER])


def test_a_referral_officer_without_totp_is_sent_to_set_it_up(client, required, referral_officer):
    response = sign_in(client, referral_officer.email)
    assert response.status_code == 302

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(response["Location"], follow=True)
    assert "Your role requires two-factor authentication" in response.text


@pytest.mark.parametrize(
    "make_person",
    [
        lambda: UserFactory(email="rco.admin@example.org", roles=[Role.RCO_ADMIN]),
        lambda: UserFactory(email="platform@example.org", is_staff=True),
    ],
    ids=["rco_admin", "platform_admin"],
)
def test_administrators_without_totp_are_sent_to_set_it_up(client, required, make_person):
    person = make_person()
    client.force_login(person)

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_htmx_requests_get_a_client_redirect(client, required, referral_officer):
    client.force_login(referral_officer)

    response = client.get(reverse("core:dashboard"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_setting_up_totp_lets_the_referral_officer_in(client, required, referral_officer):
    sign_in(client, referral_officer.email)
    # The two-factor pages, confirming the password and signing out stay open.
    assert client.get(reverse("mfa_index")).status_code == 200

    secret, _codes = activate_totp(client)

    assert client.get(reverse("core:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    sign_in(client, referral_officer.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_referral_officer_cannot_switch_totp_off(client, required, referral_officer):
    sign_in(client, referral_officer.email)
    activate_totp(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication." in response.text
    assert Authenticator.objects.filter(user=referral_officer, type="totp").exists()


def test_other_roles_are_not_forced(client, required):
    staff = UserFactory(email="staff@example.org", roles=[Role.AGENCY_STAFF])
    client.force_login(staff)

    assert client.get(reverse("core:dashboard")).status_code == 200


def test_nobody_is_forced_when_the_setting_is_empty(client, settings, referral_officer):
    settings.MFA_REQUIRED_FOR_ROLES = []
    client.force_login(referral_officer)

    assert client.get(reverse("core:dashboard")).status_code == 200


def test_signing_out_stays_possible(client, required, referral_officer):
    client.force_login(referral_officer)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get(reverse("core:dashboard"))["Location"].startswith(reverse("account_login"))


def test_an_unknown_role_in_the_setting_is_a_clear_error(client, settings, referral_officer):
    settings.MFA_REQUIRED_FOR_ROLES = ["referal_officer"]
    client.force_login(referral_officer)

    with pytest.raises(ValueError, match="referal_officer"):
        client.get(reverse("core:dashboard"))

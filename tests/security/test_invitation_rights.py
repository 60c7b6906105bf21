"""PRODUCT.md §2: only the RCO (or a platform admin) appoints people to an agency through an
invitation or hands out the RCO and secretariat roles; co-chairs invite guests only.

The rule is checked by the services at every step: create, resend, revoke, and at acceptance
(the inviter's rights at that moment).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.errors import DomainError
from members import services
from members.models import Appointment, Invitation
from members.roles import Role, forget_roles
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    UserFactory,
    co_chair,
    member_agency,
)

pytestmark = pytest.mark.django_db
SITE = "https://portal.example.org/"
RCO_ONLY_ROLES = ["focal_point", "alternate", "agency_staff", "referral_officer", "secretariat"]


def _invite(by, role, organisation=None, **kwargs):
    organisation = organisation or member_agency()
    return services.invitation_create(
        email="newcomer@example.org",
        organisation=organisation,
        role=role,
        level="deputy" if role in ("focal_point", "alternate") else "",
        by=by,
        site_url=SITE,
        **kwargs,
    )


@pytest.mark.parametrize("role", [*RCO_ONLY_ROLES, "rco_admin"])
def test_co_chair_cannot_invite_focal_point_of_another_agency(role):
    chair = co_chair()
    other_agency = member_agency()

    with pytest.raises(DomainError) as error:
        _invite(chair, role, organisation=other_agency)

    assert error.value.code == "not_allowed"
    assert not Invitation.objects.exists()


def test_co_chair_cannot_appoint_in_their_own_agency_through_an_invitation_either():
    chair = co_chair()

    with pytest.raises(DomainError):
        _invite(chair, "alternate", organisation=chair.organisation)


def test_co_chair_invites_guests():
    chair = co_chair()
    ministry = OrganisationFactory(kind="government")

    invitation = _invite(chair, "guest", organisation=ministry)

    assert invitation.role == Invitation.Role.GUEST


@pytest.mark.parametrize("role", [*RCO_ONLY_ROLES, "rco_admin", "guest"])
def test_rco_and_platform_admin_may_invite_every_role(role):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    admin = UserFactory(is_staff=True)

    assert _invite(rco, role).role == role
    Invitation.objects.all().update(status="revoked")
    assert _invite(admin, role).role == role


def test_co_chair_cannot_resend_an_rco_issued_rco_admin_invitation():
    invitation = InvitationFactory(role="rco_admin")
    sent = invitation.send_count

    with pytest.raises(DomainError) as error:
        services.invitation_resend(invitation=invitation, by=co_chair(), site_url=SITE)

    assert error.value.code == "not_allowed"
    invitation.refresh_from_db()
    assert invitation.send_count == sent
    assert services.invitation_for_token(invitation.token).pk == invitation.pk


def test_co_chair_cannot_revoke_an_rco_issued_rco_admin_invitation():
    invitation = InvitationFactory(role="rco_admin")

    with pytest.raises(DomainError) as error:
        services.invitation_revoke(invitation=invitation, by=co_chair())

    assert error.value.code == "not_allowed"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_co_chair_may_resend_and_revoke_guest_invitations():
    invitation = InvitationFactory(role="guest")
    chair = co_chair()

    services.invitation_resend(invitation=invitation, by=chair, site_url=SITE)
    services.invitation_revoke(invitation=invitation, by=chair)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_invitation_from_a_co_chair_for_an_alternate_grants_nothing_at_acceptance():
    # Written around the service (as an earlier version of the portal let happen).
    victim = member_agency(acronym="UNHCR")
    invitation = InvitationFactory(organisation=victim, role="alternate", invited_by=co_chair())

    with pytest.raises(services.InvitationUnusable) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Intruder", password="A-long-pass-phrase-42"
        )

    assert error.value.code == "inviter_not_allowed"
    assert not Appointment.objects.filter(organisation=victim).exists()
    assert not get_user_model().objects.filter(email=invitation.email).exists()


def test_invitation_is_refused_at_acceptance_when_the_inviter_lost_the_rco_role():
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    invitation = InvitationFactory(role="agency_staff", invited_by=rco)
    rco.groups.clear()
    forget_roles(rco)

    with pytest.raises(services.InvitationUnusable) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Late", password="A-long-pass-phrase-42"
        )

    assert error.value.code == "inviter_not_allowed"


def test_co_chair_form_offers_guest_only_and_the_accept_page_refuses_a_forged_invitation(client):
    chair = co_chair()
    client.force_login(chair)

    page = client.get(reverse("members:invitation_create"))
    offered = [value for value, _label in page.context["form"].fields["role"].choices if value]
    response = client.post(
        reverse("members:invitation_create"),
        {
            "email": "x@example.org",
            "organisation": member_agency().pk,
            "role": "alternate",
            "level": "deputy",
        },
    )

    assert offered == ["guest"]
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    forged = InvitationFactory(role="focal_point", level="deputy", invited_by=chair)
    client.logout()
    accept = client.get(reverse("members:invitation_accept", args=[forged.token]))
    assert accept.status_code == 410


def test_co_chair_sees_no_resend_or_revoke_buttons_on_rco_invitations(client):
    invitation = InvitationFactory(role="rco_admin")
    client.force_login(co_chair())

    body = client.get(reverse("members:invitations")).content.decode()

    assert invitation.email in body
    assert reverse("members:invitation_revoke", args=[invitation.pk]) not in body
    assert reverse("members:invitation_resend", args=[invitation.pk]) not in body

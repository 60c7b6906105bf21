"""Appointments, memberships and invitations changed through the services."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from members import services
from members.models import Appointment, Invitation, Membership
from members.roles import Role, roles_of
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    UserFactory,
    focal_point,
    member_agency,
)

pytestmark = pytest.mark.django_db
SITE = "https://portal.example.org/"


@pytest.fixture
def rco():
    return UserFactory(roles=[Role.RCO_ADMIN])


def _link(message):
    return re.search(
        r"https://portal\.example\.org(/members/invitations/accept/\S+/)", message.body
    )


def _token(message):
    return _link(message).group(1).rstrip("/").rsplit("/", 1)[1]


# --- Appointments -------------------------------------------------------------------------------


def test_replacing_a_focal_point_ends_the_old_appointment_in_the_same_step(rco):
    agency = member_agency()
    old = focal_point(agency)
    new = UserFactory(organisation=agency)

    services.appointment_replace(
        organisation=agency, person=new, kind="focal_point", level="deputy", by=rco
    )

    previous = Appointment.objects.get(person=old)
    assert previous.end_date == timezone.localdate()
    current = Appointment.objects.active().get(organisation=agency, kind="focal_point")
    assert current.person == new
    assert current.level == "deputy"
    assert roles_of(get_user_model().objects.get(pk=old.pk)) == frozenset()
    assert roles_of(get_user_model().objects.get(pk=new.pk)) == {Role.FOCAL_POINT}
    assert AuditEntry.objects.filter(action="members.appointment.ended").count() == 1
    assert AuditEntry.objects.get(action="members.appointment.created").data["replaced"] == (
        old.email
    )


def test_appointing_to_a_taken_seat_without_replacing_is_refused(rco):
    agency = member_agency()
    focal_point(agency)

    with pytest.raises(DomainError) as error:
        services.appointment_create(
            organisation=agency,
            person=UserFactory(organisation=agency),
            kind="focal_point",
            level="focal_point",
            by=rco,
        )

    assert error.value.code == "kind_taken"
    assert Appointment.objects.filter(organisation=agency).count() == 1


def test_an_alternate_promoted_to_focal_point_leaves_the_alternate_seat(rco):
    agency = member_agency()
    alternate = focal_point(agency, kind=Appointment.Kind.ALTERNATE)

    services.appointment_create(
        organisation=agency, person=alternate, kind="focal_point", level="deputy", by=rco
    )

    active = Appointment.objects.active().filter(organisation=agency)
    assert list(active.values_list("kind", "person")) == [("focal_point", alternate.pk)]


def test_a_person_of_another_organisation_cannot_be_appointed(rco):
    agency, other = member_agency(), member_agency()

    with pytest.raises(DomainError):
        services.appointment_create(
            organisation=agency,
            person=UserFactory(organisation=other),
            kind="focal_point",
            level="deputy",
            by=rco,
        )


def test_stakeholders_have_no_focal_point_seat(rco):
    ngo = OrganisationFactory(kind="ngo")

    with pytest.raises(DomainError):
        services.appointment_create(
            organisation=ngo,
            person=UserFactory(organisation=ngo),
            kind="focal_point",
            level="deputy",
            by=rco,
        )


def test_ending_an_appointment_frees_the_seat_and_cannot_happen_twice(rco):
    person = focal_point()
    appointment = Appointment.objects.get(person=person)

    services.appointment_end(appointment=appointment, by=rco)

    assert not Appointment.objects.active().filter(organisation=person.organisation).exists()
    with pytest.raises(DomainError):
        services.appointment_end(appointment=appointment, by=rco)


def test_an_appointment_cannot_end_before_it_started(rco):
    person = focal_point()
    appointment = Appointment.objects.get(person=person)

    with pytest.raises(DomainError):
        services.appointment_end(
            appointment=appointment, end_date=appointment.start_date - timedelta(days=1), by=rco
        )


# --- Organisations and memberships --------------------------------------------------------------


def test_membership_changes_keep_the_history(rco):
    agency = member_agency()
    Membership.objects.filter(organisation=agency).update(joined_on=date(2024, 1, 1))

    services.membership_change(
        organisation=agency, roles=["member", "co_chair"], on=date(2025, 3, 1), by=rco
    )
    services.membership_change(organisation=agency, roles=["member"], on=date(2025, 9, 1), by=rco)

    rows = list(
        Membership.objects.filter(organisation=agency)
        .order_by("joined_on", "role")
        .values_list("role", "joined_on", "left_on")
    )
    assert rows == [
        ("member", date(2024, 1, 1), None),
        ("co_chair", date(2025, 3, 1), date(2025, 9, 1)),
    ]
    assert AuditEntry.objects.filter(action="members.membership.changed").count() == 2


def test_a_stakeholder_cannot_become_a_voting_member(rco):
    ngo = OrganisationFactory(kind="ngo")

    with pytest.raises(DomainError):
        services.membership_change(organisation=ngo, roles=["member"], by=rco)


def test_organisation_update_records_what_changed(rco):
    agency = member_agency(website="")

    services.organisation_update(
        organisation=agency, website="https://www.iom.int", name=agency.name, by=rco
    )

    entry = AuditEntry.objects.get(action="members.organisation.updated")
    assert entry.data["changes"] == {"website": {"from": "", "to": "https://www.iom.int"}}


def test_acronyms_are_unique_whatever_the_case(rco):
    OrganisationFactory(acronym="IOM")

    with pytest.raises(DomainError):
        services.organisation_create(acronym="iom", name="Another", kind="ngo", by=rco)


# --- Invitations --------------------------------------------------------------------------------


def test_an_invitation_is_emailed_after_commit_with_a_link_whose_token_is_not_stored(
    rco, django_capture_on_commit_callbacks
):
    agency = member_agency()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            email="New.Person@Example.org",
            organisation=agency,
            role="focal_point",
            level="deputy",
            by=rco,
            site_url=SITE,
        )

    assert invitation.email == "new.person@example.org"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    token = _token(mail.outbox[0])
    assert token not in invitation.token_hash
    assert invitation.token_hash == services.hash_token(token)
    assert AuditEntry.objects.filter(action="members.invitation.created").exists()


def test_no_email_leaves_when_the_transaction_rolls_back(rco, django_capture_on_commit_callbacks):
    from core.models import Network

    Network.objects.get_current()  # made (and its cache forgotten on commit) before, not here
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_create(
            email="x@example.org",
            organisation=member_agency(),
            role="agency_staff",
            by=rco,
            site_url=SITE,
        )

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_second_pending_invitation_to_the_same_address_is_refused(rco):
    InvitationFactory(email="dup@example.org")

    with pytest.raises(DomainError) as error:
        services.invitation_create(
            email="DUP@example.org",
            organisation=member_agency(),
            role="agency_staff",
            by=rco,
            site_url=SITE,
        )
    assert error.value.code == "already_invited"


def test_a_lapsed_invitation_does_not_block_a_new_one(rco):
    old = InvitationFactory(email="late@example.org", expires_at=timezone.now() - timedelta(days=1))

    services.invitation_create(
        email="late@example.org",
        organisation=member_agency(),
        role="agency_staff",
        by=rco,
        site_url=SITE,
    )

    old.refresh_from_db()
    assert old.status == Invitation.Status.EXPIRED


def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    rco, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(expires_at=timezone.now() + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, by=rco, site_url=SITE)

    with pytest.raises(services.InvitationUnusable):
        services.invitation_for_token(invitation.token)
    fresh = services.invitation_for_token(_token(mail.outbox[0]))
    assert fresh.pk == invitation.pk
    assert fresh.expires_at > timezone.now() + timedelta(days=13)
    assert fresh.send_count == 1


def test_new_person_accepts_and_holds_the_organisation_and_role():
    agency = member_agency()
    invitation = InvitationFactory(organisation=agency, role="focal_point", level="deputy")

    user = services.invitation_accept(
        token=invitation.token, full_name="Nadia Karim", password="A-long-pass-phrase-42"
    )

    assert user.organisation == agency
    assert user.check_password("A-long-pass-phrase-42")
    assert user.emailaddress_set.get().verified
    assert roles_of(user) == {Role.FOCAL_POINT}
    appointment = Appointment.objects.active().get(organisation=agency, kind="focal_point")
    assert (appointment.person, appointment.level) == (user, "deputy")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user


def test_an_invitation_for_an_assigned_role_puts_the_person_in_its_group():
    invitation = InvitationFactory(role="referral_officer")

    user = services.invitation_accept(
        token=invitation.token, full_name="Case Worker", password="A-long-pass-phrase-42"
    )

    assert roles_of(user) == {Role.REFERRAL_OFFICER}


def test_a_weak_password_creates_nothing():
    invitation = InvitationFactory()

    with pytest.raises(DomainError):
        services.invitation_accept(token=invitation.token, full_name="X Y", password="123")

    assert not get_user_model().objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_link_is_single_use():
    invitation = InvitationFactory()
    services.invitation_accept(
        token=invitation.token, full_name="First", password="A-long-pass-phrase-42"
    )

    with pytest.raises(services.InvitationUnusable) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Second", password="A-long-pass-phrase-42"
        )
    assert error.value.code == "accepted"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "revoked"}, "revoked"),
        ({"status": "expired"}, "expired"),
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
    ],
)
def test_revoked_and_expired_links_grant_nothing(change, code):
    invitation = InvitationFactory(role="focal_point", level="deputy")
    Invitation.objects.filter(pk=invitation.pk).update(**change)

    with pytest.raises(services.InvitationUnusable) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Late", password="A-long-pass-phrase-42"
        )

    assert error.value.code == code
    assert not get_user_model().objects.filter(email=invitation.email).exists()
    assert not Appointment.objects.filter(organisation=invitation.organisation).exists()


def test_accepting_as_focal_point_when_the_agency_has_one_is_refused_unless_replacing():
    agency = member_agency()
    incumbent = focal_point(agency)
    invitation = InvitationFactory(organisation=agency, role="focal_point", level="deputy")

    with pytest.raises(DomainError) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Newcomer", password="A-long-pass-phrase-42"
        )

    assert error.value.code == "kind_taken"
    assert Appointment.objects.active().get(organisation=agency).person == incumbent
    assert not get_user_model().objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_accepting_with_replace_ends_the_incumbent():
    agency = member_agency()
    incumbent = focal_point(agency)
    invitation = InvitationFactory(
        organisation=agency, role="focal_point", level="deputy", replace_existing=True
    )

    user = services.invitation_accept(
        token=invitation.token, full_name="Newcomer", password="A-long-pass-phrase-42"
    )

    assert Appointment.objects.active().get(organisation=agency).person == user
    assert Appointment.objects.get(person=incumbent).end_date == timezone.localdate()


def test_an_existing_account_accepts_when_signed_in_with_the_invited_address():
    agency = member_agency()
    person = UserFactory(email="known@example.org", organisation=None)
    invitation = InvitationFactory(email="known@example.org", organisation=agency, role="guest")

    services.invitation_accept(token=invitation.token, user=person)

    person.refresh_from_db()
    assert person.organisation == agency
    assert roles_of(person) == {Role.GUEST}


def test_someone_else_signed_in_cannot_take_an_invitation():
    invitation = InvitationFactory(email="intended@example.org", role="agency_staff")
    intruder = UserFactory(email="other@example.org")

    with pytest.raises(DomainError) as error:
        services.invitation_accept(token=invitation.token, user=intruder)

    assert error.value.code == "wrong_account"
    assert roles_of(intruder) == frozenset()


def test_an_existing_address_cannot_be_claimed_by_setting_a_password():
    UserFactory(email="taken@example.org")
    invitation = InvitationFactory(email="taken@example.org")

    with pytest.raises(DomainError) as error:
        services.invitation_accept(
            token=invitation.token, full_name="Impostor", password="A-long-pass-phrase-42"
        )
    assert error.value.code == "account_exists"


def test_only_pending_invitations_can_be_revoked(rco):
    invitation = InvitationFactory()
    services.invitation_revoke(invitation=invitation, by=rco)

    with pytest.raises(DomainError):
        services.invitation_revoke(invitation=invitation, by=rco)
    assert Invitation.objects.get(pk=invitation.pk).revoked_by == rco


def test_expiring_invitations_twice_does_no_harm():
    lapsed = InvitationFactory(expires_at=timezone.now() - timedelta(hours=1))
    InvitationFactory()

    assert services.invitations_expire() == 1
    assert services.invitations_expire() == 0
    lapsed.refresh_from_db()
    assert lapsed.status == Invitation.Status.EXPIRED

"""The network's invariants held by the database itself, whatever path a write takes."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from members.models import Appointment, Invitation, Membership
from tests.factories import (
    AppointmentFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    focal_point,
    member_agency,
)

pytestmark = pytest.mark.django_db


def test_a_second_active_focal_point_is_refused_by_the_database():
    agency = member_agency()
    focal_point(agency)
    other = UserFactory(organisation=agency)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            organisation=agency, person=other, kind=Appointment.Kind.FOCAL_POINT
        )


def test_a_second_active_alternate_is_refused_by_the_database():
    agency = member_agency()
    focal_point(agency, kind=Appointment.Kind.ALTERNATE)
    other = UserFactory(organisation=agency)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            organisation=agency, person=other, kind=Appointment.Kind.ALTERNATE
        )


def test_a_bulk_insert_cannot_slip_a_second_focal_point_past_the_constraint():
    agency = member_agency()
    first, second = UserFactory(organisation=agency), UserFactory(organisation=agency)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.bulk_create(
            [
                Appointment(organisation=agency, person=first, kind="focal_point"),
                Appointment(organisation=agency, person=second, kind="focal_point"),
            ]
        )


def test_ended_focal_points_do_not_count_against_the_rule():
    agency = member_agency()
    AppointmentFactory(organisation=agency, start_date=date(2024, 1, 1), end_date=date(2025, 1, 1))
    AppointmentFactory(organisation=agency, start_date=date(2023, 1, 1), end_date=date(2024, 1, 1))

    AppointmentFactory(organisation=agency)  # the one active focal point

    assert Appointment.objects.filter(organisation=agency).active().count() == 1


def test_one_focal_point_and_one_alternate_coexist():
    agency = member_agency()
    focal_point(agency)
    focal_point(agency, kind=Appointment.Kind.ALTERNATE)

    assert Appointment.objects.filter(organisation=agency).active().count() == 2


def test_an_appointment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(start_date=date(2025, 5, 1), end_date=date(2025, 4, 30))


def test_an_organisation_holds_each_network_role_once_at_a_time():
    agency = member_agency()

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(organisation=agency, role=Membership.Role.MEMBER)


def test_one_pending_invitation_per_address_whatever_the_case():
    InvitationFactory(email="someone@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(email="SomeOne@Example.org")


def test_an_invitation_stores_only_a_digest_of_its_token():
    invitation = InvitationFactory()

    stored = Invitation.objects.filter(pk=invitation.pk).values_list("token_hash", flat=True)
    assert invitation.token not in stored[0]
    assert len(stored[0]) == 64

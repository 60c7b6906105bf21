"""The roles of docs/PRODUCT.md §1 as derived by members.roles (unit tests of the role model)."""

import pytest

from members.models import Appointment, Membership
from members.roles import (
    Role,
    capabilities_of,
    has_capability,
    represented_organisation_ids,
    roles_of,
    sync_role_groups,
)
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    UserFactory,
    co_chair,
    focal_point,
    member_agency,
)


@pytest.mark.django_db
def test_focal_point_role_follows_the_active_appointment():
    person = focal_point()

    assert roles_of(person) == {Role.FOCAL_POINT}


@pytest.mark.django_db
def test_an_ended_appointment_gives_no_role():
    person = focal_point()
    Appointment.objects.filter(person=person).update(end_date="2030-01-01")

    assert roles_of(UserFactory._meta.model.objects.get(pk=person.pk)) == frozenset()


@pytest.mark.django_db
def test_co_chair_is_the_focal_point_of_an_agency_with_an_active_co_chair_membership():
    chair = co_chair()
    assert roles_of(chair) == {Role.FOCAL_POINT, Role.CO_CHAIR}

    Membership.objects.filter(
        organisation=chair.organisation, role=Membership.Role.CO_CHAIR
    ).update(left_on="2100-01-01")
    former_chair = UserFactory._meta.model.objects.get(pk=chair.pk)

    assert roles_of(former_chair) == {Role.FOCAL_POINT}


@pytest.mark.django_db
def test_assigned_roles_come_from_groups_and_platform_admins_from_staff_status():
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert roles_of(rco) == {Role.RCO_ADMIN}
    assert roles_of(admin) == {Role.PLATFORM_ADMIN}


@pytest.mark.django_db
def test_a_superuser_gets_no_network_capability_from_being_superuser():
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert admin.has_perm("decisions.record_positions")  # Django's superuser shortcut
    assert not has_capability(admin, "decisions.record_positions")
    assert capabilities_of(admin) == frozenset()


@pytest.mark.django_db
def test_guests_hold_no_capability_of_their_own():
    guest = UserFactory(roles=[Role.GUEST])

    assert capabilities_of(guest) == frozenset()


@pytest.mark.django_db
def test_represented_organisations_are_those_of_active_appointments():
    agency = member_agency()
    other = member_agency()
    person = focal_point(agency)
    AppointmentFactory(organisation=other, person=person, kind=Appointment.Kind.ALTERNATE)

    assert represented_organisation_ids(person) == {agency.pk, other.pk}
    assert roles_of(person) == {Role.FOCAL_POINT, Role.ALTERNATE}


@pytest.mark.django_db
def test_roles_are_computed_once_per_request(django_assert_num_queries):
    person = focal_point()
    MembershipFactory(organisation=person.organisation, role=Membership.Role.SECRETARIAT)

    with django_assert_num_queries(1):
        roles_of(person)
        roles_of(person)
        has_capability(person, "meetings.view_all_meetings")


@pytest.mark.django_db
def test_role_groups_carry_the_capabilities_that_exist():
    from django.contrib.auth.models import Group

    sync_role_groups()

    rco_group = Group.objects.get(name=Role.RCO_ADMIN.value)
    codenames = set(rco_group.permissions.values_list("codename", flat=True))
    assert {"invite_people", "manage_organisations", "view_contact_details"} <= codenames
    assert Group.objects.get(name=Role.GUEST.value).permissions.count() == 0

from types import SimpleNamespace

import pytest

from core.models import Network
from members.models import Appointment, Membership
from members.roles import Role
from tests.factories import (
    UserFactory,
    co_chair,
    focal_point,
    member_agency,
)


@pytest.fixture
def network(db):
    network = Network.objects.get_current()
    network.time_zone = "Asia/Bahrain"
    network.meeting_reminder_days = [7, 1]
    network.save()
    return network


@pytest.fixture
def people(network):
    """A small network: two co-chairs' agencies, two member agencies, staff, a guest."""
    chair = co_chair(email="chair@example.org")
    chair_org = chair.organisation
    agency_a = member_agency(acronym="AGA")
    agency_b = member_agency(acronym="AGB")
    focal_a = focal_point(agency_a, email="focal.a@example.org")
    alternate_a = focal_point(agency_a, kind=Appointment.Kind.ALTERNATE, email="alt.a@example.org")
    focal_b = focal_point(agency_b, email="focal.b@example.org")
    secretariat = UserFactory(
        email="secretariat@example.org", organisation=chair_org, roles=[Role.SECRETARIAT]
    )
    staff_a = UserFactory(
        email="staff.a@example.org", organisation=agency_a, roles=[Role.AGENCY_STAFF]
    )
    stakeholder = member_agency(acronym="GOV", kind="government")
    Membership.objects.filter(organisation=stakeholder).update(role=Membership.Role.STAKEHOLDER)
    guest = UserFactory(email="guest@example.org", organisation=stakeholder, roles=[Role.GUEST])
    other_guest = UserFactory(
        email="guest2@example.org", organisation=stakeholder, roles=[Role.GUEST]
    )
    return SimpleNamespace(
        chair=chair,
        chair_org=chair_org,
        agency_a=agency_a,
        agency_b=agency_b,
        focal_a=focal_a,
        alternate_a=alternate_a,
        focal_b=focal_b,
        secretariat=secretariat,
        staff_a=staff_a,
        guest=guest,
        other_guest=other_guest,
        stakeholder=stakeholder,
    )

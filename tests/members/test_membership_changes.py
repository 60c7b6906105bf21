"""Ending a membership ends its appointments; the directory says who holds which seat."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.models import AuditEntry
from members import services
from members.models import Appointment, Membership
from members.roles import Role, roles_of
from members.selectors import people_holding_roles
from tests.factories import UserFactory, co_chair, focal_point, member_agency

pytestmark = pytest.mark.django_db


class _Table(HTMLParser):
    """The header cells and the body rows (cell texts) of the page's table."""

    def __init__(self, html):
        super().__init__()
        self.headings, self.rows, self._cell, self._in_head = [], [], None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.headings if self._in_head else self.rows[-1]).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _directory(client):
    return _Table(client.get(reverse("members:directory")).content.decode())


def test_ending_a_membership_ends_its_appointments_dated_that_day():
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    agency = member_agency(acronym="AGX")
    Membership.objects.filter(organisation=agency).update(
        joined_on=timezone.localdate() - timedelta(days=60)
    )
    focal = focal_point(agency)
    alternate = focal_point(agency, kind=Appointment.Kind.ALTERNATE)
    Appointment.objects.filter(organisation=agency).update(
        start_date=timezone.localdate() - timedelta(days=30)
    )
    left_on = timezone.localdate() - timedelta(days=3)

    services.membership_change(organisation=agency, roles=[], on=left_on, by=rco)

    assert not Appointment.objects.active().filter(organisation=agency).exists()
    assert set(
        Appointment.objects.filter(organisation=agency).values_list("end_date", flat=True)
    ) == {left_on}
    assert (
        AuditEntry.objects.filter(
            action="members.appointment.ended", data__reason="membership_ended"
        ).count()
        == 2
    )
    for person in (focal, alternate):
        assert Role.FOCAL_POINT not in roles_of(person) and Role.ALTERNATE not in roles_of(person)


def test_a_co_chair_that_stays_a_member_keeps_its_seats():
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    chair = co_chair()
    services.membership_change(organisation=chair.organisation, roles=["member"], by=rco)
    assert Appointment.objects.active().filter(person=chair).exists()


def test_the_directory_says_when_an_agency_left_and_shows_no_focal_point_for_it(client):
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    agency = member_agency(acronym="LEFT")
    focal_point(agency, full_name="Former Focal")
    services.membership_change(organisation=agency, roles=[], by=rco)
    client.force_login(rco)
    table = _directory(client)
    row = next(row for row in table.rows if row[0].startswith("LEFT"))
    assert "Left the network on" in row[1]
    assert "Former Focal" not in row[table.headings.index("Focal point")]
    # The agency's page lists the appointment as ended that day, no longer "Active".
    page = client.get(agency.get_absolute_url()).content.decode()
    assert 'text-bg-success">Active<' not in page
    assert date_format(timezone.localdate(), "j M Y") in page


def test_the_directorys_focal_point_column_shows_only_focal_points(client):
    rco = UserFactory(roles=[Role.RCO_ADMIN], full_name="Rita RCO")
    stakeholder = member_agency(acronym="NGO1", kind="ngo")
    Membership.objects.filter(organisation=stakeholder).update(role="stakeholder")
    UserFactory(organisation=stakeholder, roles=[Role.GUEST], full_name="Gina Guest")
    agency = member_agency(acronym="AGY")
    focal_point(agency, full_name="Fiona Focal")
    UserFactory(organisation=agency, roles=[Role.AGENCY_STAFF], full_name="Sam Staff")
    client.force_login(rco)
    table = _directory(client)
    column = table.headings.index("Focal point")
    others = table.headings.index("Other people")
    by_acronym = {row[0].split()[0]: row for row in table.rows}
    assert "Gina Guest" not in by_acronym["NGO1"][column]
    assert "Gina Guest" in by_acronym["NGO1"][others]
    assert "Sam Staff" not in by_acronym["AGY"][column]
    assert "Sam Staff" in by_acronym["AGY"][others]
    assert "Fiona Focal" in by_acronym["AGY"][column]


def test_people_holding_roles_follows_roles_of():
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    admin = UserFactory(is_staff=True)
    chair = co_chair()
    focal = focal_point()
    inactive = UserFactory(roles=[Role.SECRETARIAT], is_active=False)
    nobody = UserFactory()
    for role in Role:
        holders = set(people_holding_roles([role]))
        for person in (rco, admin, chair, focal, inactive, nobody):
            assert (person in holders) == (role in roles_of(person)), (role, person)

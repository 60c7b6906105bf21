import pytest

from tests.factories import UserFactory, WorkplanFactory, co_chair, focal_point, member_agency


@pytest.fixture
def lead_agency(db):
    return member_agency(acronym="LEAD")


@pytest.fixture
def lead_focal(lead_agency):
    return focal_point(lead_agency)


@pytest.fixture
def lead_alternate(lead_agency):
    return focal_point(lead_agency, kind="alternate")


@pytest.fixture
def other_focal(db):
    return focal_point(member_agency(acronym="OTHER"))


@pytest.fixture
def chair(db):
    return co_chair(member_agency(acronym="CHAIR"))


@pytest.fixture
def staff(lead_agency):
    """Agency staff of the lead agency: reads, but is not its focal point."""
    return UserFactory(organisation=lead_agency, roles=["agency_staff"])


@pytest.fixture
def guest(db):
    return UserFactory(roles=["guest"])


@pytest.fixture
def workplan(db):
    return WorkplanFactory(year=2026)

"""The dashboard's query count per role is fixed, and does not grow with the rows behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.roles import Role
from tests.factories import (
    ActionPointFactory,
    DeliverableFactory,
    InvitationFactory,
    UserFactory,
    WorkplanFactory,
    co_chair,
    focal_point,
    open_decision,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


def _fill(world, rows):
    """`rows` more of everything a dashboard panel lists."""
    meeting = past_meeting()
    for _ in range(rows):
        open_decision(by=world["chair"])
        ActionPointFactory(meeting=meeting, owner_organisation=world["focal"].organisation)
        for status in ("at_risk", "delayed", "on_track"):
            DeliverableFactory(
                workplan=world["workplan"],
                lead_agency=world["focal"].organisation,
                status=status,
            )
            DeliverableFactory(workplan=world["workplan"], status=status)
        InvitationFactory()


@pytest.fixture
def world(db):
    chair = co_chair()
    focal = focal_point()
    staff = UserFactory(organisation=focal.organisation)
    rco = UserFactory(roles=[Role.RCO_ADMIN])
    scheduled_meeting(by=chair)
    workplan = WorkplanFactory(year=timezone.localdate().year)
    return {"chair": chair, "focal": focal, "staff": staff, "rco": rco, "workplan": workplan}


def _queries(client, person):
    client.force_login(person)
    client.get(reverse("core:dashboard"))  # process-wide caches warm up once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(captured.captured_queries)


# Measured with 12 and then 24 rows of each list; the same both times. Every page pays two: the
# person, and their roles (groups and appointments in one query); the session and the network
# come from the cache. Each card is then one query, its rows and how many there are in all
# together (the action points, the invitations, the library's two lists, the ToR version with
# its reviews), except the co-chair's decisions (ready to close, awaiting my agency), workplan
# (the network's at risk, mine at risk, my updates due) and reports (to prepare, latest). The
# referrals card asks nothing of those who are not referral officers.
QUERIES = {"co_chair": 15, "focal_point": 10, "agency_staff": 3, "rco_admin": 10}


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_dashboard_queries_per_role_do_not_grow_with_rows(client, world, role):
    person = {
        "co_chair": world["chair"],
        "focal_point": world["focal"],
        "agency_staff": world["staff"],
        "rco_admin": world["rco"],
    }[role]
    _fill(world, 12)
    few = _queries(client, person)
    _fill(world, 12)

    assert _queries(client, person) == few == QUERIES[role]

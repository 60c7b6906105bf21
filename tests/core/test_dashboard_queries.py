"""The dashboard's query count per role is fixed, and does not grow with the rows behind it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActionPointFactory,
    DeliverableFactory,
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


@pytest.fixture
def world(db):
    chair = co_chair()
    focal = focal_point()
    staff = UserFactory(organisation=focal.organisation)
    scheduled_meeting(by=chair)
    workplan = WorkplanFactory(year=timezone.localdate().year)
    return {"chair": chair, "focal": focal, "staff": staff, "workplan": workplan}


def _queries(client, person):
    client.force_login(person)
    client.get(reverse("core:dashboard"))  # process-wide caches warm up once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(captured.captured_queries)


# Measured with 12 and then 24 rows of each list; the same both times. The library card costs
# the co-chair two queries and a focal point one, the ToR review card the co-chair three.
QUERIES = {"co_chair": 26, "focal_point": 16, "agency_staff": 7}


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_dashboard_queries_per_role_do_not_grow_with_rows(client, world, role):
    person = {
        "co_chair": world["chair"],
        "focal_point": world["focal"],
        "agency_staff": world["staff"],
    }[role]
    _fill(world, 12)
    few = _queries(client, person)
    _fill(world, 12)

    assert _queries(client, person) == few == QUERIES[role]

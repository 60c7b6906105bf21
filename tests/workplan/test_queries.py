"""Query counts of the workplan pages do not grow with the number of deliverables."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ToRObjective
from tests.factories import OrganisationFactory, UserFactory
from workplan.models import (
    Deliverable,
    Funding,
    GCMObjective,
    ProgressUpdate,
    SDGTarget,
    ThematicArea,
)

pytestmark = pytest.mark.django_db

ROWS = 300


@pytest.fixture
def big_workplan(workplan, staff):
    agencies = [OrganisationFactory() for _ in range(12)]
    areas = list(ThematicArea.objects.all())
    deliverables = Deliverable.objects.bulk_create(
        Deliverable(
            workplan=workplan,
            number=n + 1,
            title=f"Deliverable {n}",
            thematic_area=areas[n % len(areas)],
            lead_agency=agencies[n % len(agencies)],
            start_quarter=1 + n % 4,
            end_quarter=4,
            status=Deliverable.Status.values[n % 6],
            budget_required=Decimal(1000 + n),
        )
        for n in range(ROWS)
    )
    tor, gcm, sdg = (
        list(ToRObjective.objects.all()),
        list(GCMObjective.objects.all()),
        list(SDGTarget.objects.all()),
    )
    Deliverable.tor_objectives.through.objects.bulk_create(
        Deliverable.tor_objectives.through(deliverable=d, torobjective=tor[i % 8])
        for i, d in enumerate(deliverables)
    )
    Deliverable.gcm_objectives.through.objects.bulk_create(
        Deliverable.gcm_objectives.through(deliverable=d, gcmobjective=gcm[i % 23])
        for i, d in enumerate(deliverables)
    )
    Deliverable.sdg_targets.through.objects.bulk_create(
        Deliverable.sdg_targets.through(deliverable=d, sdgtarget=sdg[i % 10])
        for i, d in enumerate(deliverables)
    )
    Deliverable.supporting_agencies.through.objects.bulk_create(
        Deliverable.supporting_agencies.through(
            deliverable=d, organisation=agencies[(i + 1) % len(agencies)]
        )
        for i, d in enumerate(deliverables)
    )
    Funding.objects.bulk_create(
        Funding(
            deliverable=d, source="EU", amount=Decimal(100), status=("confirmed", "pledged")[i % 2]
        )
        for i, d in enumerate(deliverables)
    )
    author = UserFactory()
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            deliverable=d,
            date=date(2026, 3, 1),
            note="n",
            status_before="not_started",
            status_after=d.status,
            author=author,
        )
        for d in deliverables
    )
    return workplan, agencies


# Measured with 300 deliverables, caches warm (the session and the network come from the cache).
# The list: user, roles, the workplan, the page, its three many-to-many prefetches, the capped
# count, the carry-over check and the four filter choice lists.
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("workplan:detail", 13),
        ("workplan:agencies", 4),
        ("workplan:summary", 8),
        ("workplan:timeline", 4),
        ("workplan:gcm_coverage", 5),
    ],
)
def test_year_pages_with_300_deliverables(
    client, staff, big_workplan, name, queries, django_assert_num_queries
):
    workplan, _agencies = big_workplan
    client.force_login(staff)
    client.get(reverse(name, args=[workplan.year]))  # process-wide caches warm up once
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=[workplan.year]))
    assert response.status_code == 200


def test_agency_view_with_300_deliverables(client, staff, big_workplan, django_assert_num_queries):
    workplan, agencies = big_workplan
    client.force_login(staff)
    client.get(reverse("workplan:agency", args=[workplan.year, agencies[0].pk]))  # warm caches
    with django_assert_num_queries(12):
        response = client.get(reverse("workplan:agency", args=[workplan.year, agencies[0].pk]))
    assert len(response.context["led"]) == ROWS // len(agencies)
    assert len(response.context["supported"]) == ROWS // len(agencies)


def test_summary_totals_with_300_deliverables(client, staff, big_workplan):
    workplan, _agencies = big_workplan
    client.force_login(staff)
    summary = client.get(reverse("workplan:summary", args=[workplan.year])).context["summary"]
    assert summary["total"].count == ROWS
    assert summary["total"].confirmed == Decimal(100 * ROWS // 2)
    assert sum(t.count for t in summary["by_tor"]) == ROWS


def test_list_filtered_with_300_deliverables(
    client, staff, big_workplan, django_assert_max_num_queries
):
    workplan, agencies = big_workplan
    client.force_login(staff)
    with django_assert_max_num_queries(24):
        response = client.get(
            reverse("workplan:detail", args=[workplan.year]),
            {"agency": agencies[0].pk, "status": "at_risk", "page": 1},
        )
    assert response.status_code == 200


def test_exports_with_300_deliverables(client, staff, big_workplan, django_assert_max_num_queries):
    workplan, _agencies = big_workplan
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("workplan:export_xlsx", args=[workplan.year]))
    assert response.status_code == 200

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
# The list: user, roles, the workplan (with its endorsing decision), the page, the links of its
# rows (one query over the three link tables), the capped count, the carry-over check and the
# agencies of the year; the ToR, GCM and thematic area choices come from the cached reference rows.
# The summary: user, roles, the workplan, the tallies by status and area (one query) and by ToR
# objective; the coverage: the same but one tally, by GCM objective.
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("workplan:detail", 8),
        ("workplan:agencies", 6),
        ("workplan:summary", 5),
        ("workplan:timeline", 4),
        ("workplan:gcm_coverage", 4),
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


# The agency page: user, roles (session and network: the cache), the workplan, the agency, what it
# leads and supports (the first rows of each list and their counts: one query), their links (one
# query).
AGENCY_QUERIES = 6


def test_agency_view_with_300_deliverables(client, staff, big_workplan, django_assert_num_queries):
    workplan, agencies = big_workplan
    client.force_login(staff)
    client.get(reverse("workplan:agency", args=[workplan.year, agencies[0].pk]))  # warm caches
    with django_assert_num_queries(AGENCY_QUERIES):
        response = client.get(reverse("workplan:agency", args=[workplan.year, agencies[0].pk]))
    assert len(response.context["led"]) == ROWS // len(agencies)
    assert len(response.context["supported"]) == ROWS // len(agencies)
    led = response.context["led"][0]
    assert led.lead_agency == agencies[0]
    assert [o.acronym for o in led.supporting_list] == [agencies[1].acronym]
    assert len(led.tor_list) == len(led.gcm_list) == 1


def test_the_list_and_the_agency_page_cost_as_much_with_ten_rows_as_with_300(
    client, staff, big_workplan, django_assert_num_queries
):
    workplan, agencies = big_workplan
    client.force_login(staff)
    list_url = reverse("workplan:detail", args=[workplan.year])
    agency_url = reverse("workplan:agency", args=[workplan.year, agencies[0].pk])
    Deliverable.objects.filter(workplan=workplan, number__gt=10).delete()
    client.get(list_url)  # warm caches

    with django_assert_num_queries(8):
        page = client.get(list_url)
    with django_assert_num_queries(AGENCY_QUERIES):
        client.get(agency_url)

    assert len(page.context["deliverables"]) == 10


def test_the_list_shows_each_row_with_its_objectives_and_supporting_agencies(
    client, staff, big_workplan
):
    workplan, _agencies = big_workplan
    client.force_login(staff)

    rows = client.get(reverse("workplan:detail", args=[workplan.year])).context["deliverables"]

    for row in rows:
        assert row.tor_list == list(row.tor_objectives.all())
        assert row.gcm_list == list(row.gcm_objectives.all())
        supporting = row.supporting_agencies.order_by("acronym")
        assert [o.acronym for o in row.supporting_list] == [o.acronym for o in supporting]
        assert row.status_label == row.get_status_display()


def test_a_reference_label_changed_in_the_admin_shows_at_once(client, staff, big_workplan):
    workplan, _agencies = big_workplan
    client.force_login(staff)
    url = reverse("workplan:detail", args=[workplan.year])
    client.get(url)  # the reference rows are cached now
    objective = GCMObjective.objects.get(number=1)
    objective.short_label = "Renamed objective"
    objective.save()
    area = ThematicArea.objects.first()

    page = client.get(url).content.decode()
    filtered = client.get(url, {"gcm": objective.pk, "area": area.pk})

    assert "Renamed objective" in page
    assert filtered.context["filter_form"].cleaned_data["gcm"] == objective
    assert all(row.thematic_area == area for row in filtered.context["deliverables"])
    assert all(objective in row.gcm_list for row in filtered.context["deliverables"])
    new_area = ThematicArea.objects.create(code="new-area", label="A new area", order=99)
    assert "A new area" in client.get(url).content.decode()
    new_area.delete()
    assert "A new area" not in client.get(url).content.decode()


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


def test_the_excel_workbook_of_300_deliverables(big_workplan, django_assert_num_queries):
    from io import BytesIO

    from openpyxl import load_workbook

    from workplan.exports import workplan_xlsx

    workplan, _agencies = big_workplan
    # Built by the job (workplan.jobs), 500 deliverables a chunk: the chunk, its four
    # many-to-many prefetches, then the funding lines (five more queries per further 500).
    with django_assert_num_queries(6):
        content = workplan_xlsx(workplan)
    workbook = load_workbook(BytesIO(content))
    assert workbook["Deliverables"].max_row == ROWS + 1
    assert workbook["Funding"].max_row == ROWS + 1


def test_the_tallies_agree_with_each_deliverables_funding(big_workplan):
    """The summary's SQL (the year's funding summed once per deliverable) against the ORM's sums."""
    from workplan import rules, selectors

    workplan, _agencies = big_workplan
    first, second = Deliverable.objects.filter(workplan=workplan).order_by("number")[:2]
    # Funded beyond its budget (no negative gap), and a second confirmed line on another.
    Funding.objects.create(
        deliverable=first, source="UN", amount=first.budget_required * 2, status="confirmed"
    )
    Funding.objects.create(deliverable=second, source="UN", amount=Decimal(7), status="confirmed")
    rows = list(Deliverable.objects.filter(workplan=workplan).with_funding())
    summary = selectors.summary(workplan)
    total = summary["total"]
    assert total.count == ROWS
    assert total.budget == sum(d.budget_required for d in rows)
    assert total.confirmed == sum(d.confirmed_total for d in rows)
    assert total.pledged == sum(d.pledged_total for d in rows)
    assert total.gap == sum(rules.funding_gap(d.budget_required, d.confirmed_total) for d in rows)
    area = summary["by_area"][0]
    mine = [d for d in rows if d.thematic_area_id == area.key.pk]
    assert (area.count, area.gap) == (
        len(mine),
        sum(rules.funding_gap(d.budget_required, d.confirmed_total) for d in mine),
    )
    served = {row.key.number: row for row in selectors.gcm_coverage(workplan)["rows"]}
    assert sum(row.count for row in served.values()) == ROWS
    assert sum(row.confirmed for row in served.values()) == total.confirmed


def test_the_agency_page_shows_the_first_rows_of_each_list_and_links_to_them_all(
    client, staff, big_workplan, monkeypatch, django_assert_num_queries
):
    from workplan import selectors

    workplan, agencies = big_workplan
    client.force_login(staff)
    url = reverse("workplan:agency", args=[workplan.year, agencies[0].pk])
    everything = f"{reverse('workplan:detail', args=[workplan.year])}?agency={agencies[0].pk}"
    assert everything not in client.get(url).text  # 25 of each: all shown

    monkeypatch.setattr(selectors, "AGENCY_LIST_LIMIT", 10)
    with django_assert_num_queries(AGENCY_QUERIES):
        response = client.get(url)

    led, supported = response.context["led"], response.context["supported"]
    assert [d.number for d in led] == sorted(
        Deliverable.objects.filter(workplan=workplan, lead_agency=agencies[0]).values_list(
            "number", flat=True
        )
    )[:10]
    assert len(supported) == 10
    assert all(agencies[0] in d.supporting_agencies.all() for d in supported)
    assert response.context["led_count"] == response.context["supported_count"] == ROWS // 12
    assert "Leads 25 deliverables" in response.text
    assert everything in response.text

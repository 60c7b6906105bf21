from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry, ToRObjective
from tests.factories import DeliverableFactory, FundingFactory, WorkplanFactory
from workplan import services
from workplan.models import Deliverable, GCMObjective, ThematicArea, Workplan

pytestmark = pytest.mark.django_db

S = Deliverable.Status


def _audit(action):
    return AuditEntry.objects.filter(action=action)


def test_deliverable_create_numbers_and_links(workplan, chair, lead_agency, other_focal):
    tor = ToRObjective.objects.filter(number__in=[1, 7])
    gcm = GCMObjective.objects.filter(number__in=[6, 10])
    first = services.deliverable_create(
        workplan=workplan,
        by=chair,
        title="Recruitment study",
        description="",
        thematic_area=ThematicArea.objects.get(code="labour-migration"),
        lead_agency=lead_agency,
        supporting_agencies=[other_focal.organisation],
        tor_objectives=tor,
        gcm_objectives=gcm,
        start_quarter=2,
        end_quarter=3,
        budget_required=Decimal("5000.00"),
    )
    second = services.deliverable_create(
        workplan=workplan,
        by=chair,
        title="Second",
        thematic_area=first.thematic_area,
        lead_agency=lead_agency,
        tor_objectives=tor,
    )
    assert (first.number, second.number) == (1, 2)
    assert first.code == "2026-01"
    assert set(first.gcm_objectives.values_list("number", flat=True)) == {6, 10}
    assert list(first.supporting_agencies.all()) == [other_focal.organisation]
    assert _audit("workplan.deliverable.created").count() == 2


def test_a_deliverable_must_serve_a_tor_objective(workplan, chair, lead_agency):
    with pytest.raises(DomainError):
        services.deliverable_create(
            workplan=workplan,
            by=chair,
            title="Orphan",
            thematic_area=ThematicArea.objects.first(),
            lead_agency=lead_agency,
            tor_objectives=[],
        )


def test_quarters_must_be_in_order(workplan, chair, lead_agency):
    with pytest.raises(DomainError):
        services.deliverable_create(
            workplan=workplan,
            by=chair,
            title="Backwards",
            thematic_area=ThematicArea.objects.first(),
            lead_agency=lead_agency,
            tor_objectives=ToRObjective.objects.filter(number=1),
            start_quarter=3,
            end_quarter=2,
        )
    # The database refuses it too, whatever path the write takes.
    deliverable = DeliverableFactory(workplan=workplan)
    deliverable.start_quarter, deliverable.end_quarter = 4, 1
    with pytest.raises(IntegrityError), transaction.atomic():
        deliverable.save()


def test_progress_update_changes_status_and_keeps_history(lead_focal, lead_agency, workplan):
    deliverable = DeliverableFactory(workplan=workplan, lead_agency=lead_agency)
    services.deliverable_post_update(
        deliverable=deliverable, note="Started", status=S.ON_TRACK, by=lead_focal
    )
    update = services.deliverable_post_update(
        deliverable=deliverable, note="Funding late", status=S.AT_RISK, by=lead_focal
    )
    deliverable.refresh_from_db()
    assert deliverable.status == S.AT_RISK
    assert (update.status_before, update.status_after) == (S.ON_TRACK, S.AT_RISK)
    assert update.author == lead_focal and update.author_organisation == lead_agency
    assert [u.note for u in deliverable.updates.all()] == ["Funding late", "Started"]
    entry = _audit("workplan.deliverable.progress_updated").first()
    assert entry.actor == lead_focal and entry.data["status_after"] == "at_risk"


def test_alternate_and_co_chair_may_post_updates(lead_alternate, chair, lead_agency):
    deliverable = DeliverableFactory(lead_agency=lead_agency)
    services.deliverable_post_update(
        deliverable=deliverable, note="a", status=S.ON_TRACK, by=lead_alternate
    )
    services.deliverable_post_update(deliverable=deliverable, note="b", status=S.DELAYED, by=chair)
    assert deliverable.updates.count() == 2


def test_another_agency_cannot_post_updates(other_focal, staff, lead_agency):
    deliverable = DeliverableFactory(lead_agency=lead_agency)
    for person in (other_focal, staff):
        with pytest.raises(DomainError):
            services.deliverable_post_update(
                deliverable=deliverable, note="x", status=S.COMPLETED, by=person
            )
    deliverable.refresh_from_db()
    assert deliverable.status == S.NOT_STARTED and not deliverable.updates.exists()


def test_progress_update_cannot_be_dated_in_the_future(lead_focal, lead_agency):
    deliverable = DeliverableFactory(lead_agency=lead_agency)
    with pytest.raises(DomainError):
        services.deliverable_post_update(
            deliverable=deliverable,
            note="x",
            status=S.ON_TRACK,
            by=lead_focal,
            on=timezone.localdate() + timedelta(days=1),
        )


def test_funding_gap_of_a_deliverable_pledged_vs_confirmed(chair):
    deliverable = DeliverableFactory(budget_required=Decimal("100000.00"))
    services.funding_add(
        deliverable=deliverable,
        source="EU",
        amount=Decimal("40000.25"),
        status="confirmed",
        by=chair,
    )
    services.funding_add(
        deliverable=deliverable, source="IOM", amount=Decimal("30000"), status="pledged", by=chair
    )
    fresh = Deliverable.objects.get(pk=deliverable.pk)
    assert fresh.confirmed_funds == Decimal("40000.25")
    assert fresh.pledged_funds == Decimal("30000.00")
    assert fresh.funding_gap == Decimal("59999.75")
    assert fresh.funding_gap_if_pledges_honoured == Decimal("29999.75")
    # The annotated path (lists, exports) gives the same figures.
    annotated = Deliverable.objects.with_funding().get(pk=deliverable.pk)
    assert (annotated.confirmed_total, annotated.pledged_total) == (
        Decimal("40000.25"),
        Decimal("30000.00"),
    )
    assert annotated.funding_gap == Decimal("59999.75")
    assert _audit("workplan.funding.added").count() == 2


def test_funding_amount_must_be_positive(chair):
    deliverable = DeliverableFactory()
    with pytest.raises(DomainError):
        services.funding_add(
            deliverable=deliverable, source="EU", amount=Decimal("0"), status="confirmed", by=chair
        )


def test_funding_remove(chair):
    funding = FundingFactory()
    deliverable = services.funding_remove(funding=funding, by=chair)
    assert not deliverable.fundings.exists()
    assert _audit("workplan.funding.removed").exists()


def test_copy_forward_carries_unfinished_deliverables_once(chair, lead_agency, other_focal):
    last_year = WorkplanFactory(year=2025)
    gcm = GCMObjective.objects.filter(number__in=[1, 23])
    unfinished = DeliverableFactory(
        workplan=last_year,
        lead_agency=lead_agency,
        status=S.AT_RISK,
        start_quarter=3,
        end_quarter=4,
        budget_required=Decimal("50000"),
        tor_objectives=ToRObjective.objects.filter(number__in=[2, 5]),
        gcm_objectives=gcm,
        supporting_agencies=[other_focal.organisation],
    )
    FundingFactory(deliverable=unfinished, amount=Decimal("20000"), status="confirmed")
    FundingFactory(deliverable=unfinished, amount=Decimal("10000"), status="pledged")
    not_started = DeliverableFactory(workplan=last_year, status=S.NOT_STARTED)
    DeliverableFactory(workplan=last_year, status=S.COMPLETED)
    DeliverableFactory(workplan=last_year, status=S.CANCELLED)

    workplan = services.workplan_create(year=2026, copy_forward=True, by=chair)

    copies = list(workplan.deliverables.order_by("number"))
    assert [c.copied_from for c in copies] == [unfinished, not_started]
    carried = copies[0]
    assert carried.title == unfinished.title
    assert carried.lead_agency == lead_agency
    assert (carried.start_quarter, carried.end_quarter) == (1, 4)
    assert carried.status == S.ON_TRACK
    assert copies[1].status == S.NOT_STARTED
    # What is still to be funded is carried; last year's money is not.
    assert carried.budget_required == Decimal("30000.00")
    assert not carried.fundings.exists()
    assert set(carried.tor_objectives.values_list("number", flat=True)) == {2, 5}
    assert set(carried.gcm_objectives.all()) == set(gcm)
    assert list(carried.supporting_agencies.all()) == [other_focal.organisation]
    assert workplan.copied_from == last_year
    # Running it again carries nothing twice.
    assert services.workplan_copy_forward(workplan=workplan, by=chair) == []
    assert workplan.deliverables.count() == 2
    assert _audit("workplan.workplan.copied_forward").count() == 2


def test_copy_forward_needs_last_year_and_a_draft(chair):
    workplan = WorkplanFactory(year=2026)
    with pytest.raises(DomainError):
        services.workplan_copy_forward(workplan=workplan, by=chair)
    WorkplanFactory(year=2025)
    workplan.status, workplan.endorsed_on = Workplan.Status.ENDORSED, date(2026, 1, 1)
    workplan.save()
    with pytest.raises(DomainError):
        services.workplan_copy_forward(workplan=workplan, by=chair)


def test_one_workplan_per_year(chair):
    services.workplan_create(year=2027, by=chair)
    with pytest.raises(DomainError):
        services.workplan_create(year=2027, by=chair)


def test_workplan_goes_draft_endorsed_shared(chair, workplan):
    with pytest.raises(DomainError):  # nothing to endorse yet
        services.workplan_endorse(workplan=workplan, endorsed_on=date(2026, 2, 1), by=chair)
    DeliverableFactory(workplan=workplan)
    with pytest.raises(DomainError):  # not endorsed yet
        services.workplan_share_with_unct(workplan=workplan, shared_on=date(2026, 2, 1), by=chair)
    services.workplan_endorse(workplan=workplan, endorsed_on=date(2026, 2, 1), by=chair)
    with pytest.raises(DomainError):
        services.workplan_endorse(workplan=workplan, endorsed_on=date(2026, 2, 1), by=chair)
    with pytest.raises(DomainError):  # before the endorsement
        services.workplan_share_with_unct(workplan=workplan, shared_on=date(2026, 1, 1), by=chair)
    services.workplan_share_with_unct(workplan=workplan, shared_on=date(2026, 2, 10), by=chair)
    workplan.refresh_from_db()
    assert workplan.status == Workplan.Status.SHARED
    assert (workplan.endorsed_on, workplan.shared_on) == (date(2026, 2, 1), date(2026, 2, 10))
    assert _audit("workplan.workplan.endorsed").exists()
    assert _audit("workplan.workplan.shared").exists()


def test_the_database_refuses_an_endorsed_workplan_without_date(workplan):
    workplan.status = Workplan.Status.ENDORSED
    with pytest.raises(IntegrityError), transaction.atomic():
        workplan.save()

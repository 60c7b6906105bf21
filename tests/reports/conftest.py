"""A first half of 2025 with known meetings, decisions, deliverables and membership changes."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from core.models import Network
from core.registry import Period
from tests.factories import (
    ActionPointFactory,
    DeliverableFactory,
    FundingFactory,
    MeetingFactory,
    UserFactory,
    WorkplanFactory,
    co_chair,
    focal_point,
    member_agency,
)

PERIOD = Period(date(2025, 1, 1), date(2025, 6, 30))


@dataclass
class PeriodData:
    period: Period
    chair: object
    secretariat: object
    staff: object
    agencies: dict = field(default_factory=dict)
    deliverables: list = field(default_factory=list)


def _at(day, hour=10):
    tzinfo = Network.objects.get_current().tzinfo
    return datetime.combine(day, datetime.min.time(), tzinfo=tzinfo) + timedelta(hours=hour)


def _held(title, day, attendees):
    from meetings.models import Attendance

    meeting = MeetingFactory(title=title, status="held", starts_at=_at(day), ends_at=_at(day, 12))
    for name, organisation in attendees:
        Attendance.objects.create(
            meeting=meeting, name=name, organisation=organisation, capacity="focal_point"
        )
    return meeting


def _decision(reference, title, status, day):
    from decisions.models import Decision

    return Decision.objects.create(
        reference=reference,
        title=title,
        text="The Network agrees.",
        procedure="meeting",
        status=status,
        opened_at=_at(day - timedelta(days=3)),
        closed_at=_at(day),
    )


@pytest.fixture
def period_data(db):
    chairing = member_agency(acronym="IOMX")
    chair = co_chair(chairing, full_name="Chair Person")
    other = member_agency(acronym="ILOX")
    third = member_agency(acronym="WHOX")
    secretariat = UserFactory(roles=["secretariat"], organisation=chairing)
    staff = UserFactory(roles=["agency_staff"], organisation=other)
    data = PeriodData(PERIOD, chair=chair, secretariat=secretariat, staff=staff)
    data.agencies = {"IOMX": chairing, "ILOX": other, "WHOX": third}

    # Meetings: two held in the period (5 people present, 3 agencies), one held after it,
    # one cancelled inside it.
    first = _held(
        "February regular meeting",
        date(2025, 2, 4),
        [("A", chairing), ("B", chairing), ("C", other)],
    )
    _held("May regular meeting", date(2025, 5, 6), [("D", chairing), ("E", third)])
    _held("August regular meeting", date(2025, 8, 5), [("F", other)])
    MeetingFactory(
        title="Cancelled meeting",
        status="cancelled",
        cancellation_reason="Holiday",
        starts_at=_at(date(2025, 3, 4)),
        ends_at=_at(date(2025, 3, 4), 12),
    )
    # Action points: one done, one open and overdue at the end of June, one open not yet due.
    ActionPointFactory(meeting=first, description="Circulate the mapping", status="done")
    ActionPointFactory(
        meeting=first, description="Draft the referral SOP", due_date=date(2025, 4, 30)
    )
    ActionPointFactory(
        meeting=first, description="Prepare the advocacy plan", due_date=date(2025, 9, 30)
    )

    # Decisions: two adopted and one not adopted in the period, one adopted after it.
    _decision("UNNM-BH/2025/001", "Adoption of the 2025 workplan", "adopted", date(2025, 1, 20))
    _decision("UNNM-BH/2025/002", "Joint statement on fees", "not_adopted", date(2025, 3, 10))
    _decision("UNNM-BH/2025/003", "Referral SOP endorsement", "adopted", date(2025, 6, 2))
    _decision("UNNM-BH/2025/004", "Later decision", "adopted", date(2025, 7, 15))

    # Workplan 2025: three deliverables active in H1 (one only in Q3-Q4 is left out).
    from workplan.models import GCMObjective

    workplan = WorkplanFactory(year=2025)
    gcm = list(GCMObjective.objects.filter(number__in=[6, 10]).order_by("number"))
    data.deliverables = [
        DeliverableFactory(
            workplan=workplan,
            number=1,
            title="Labour inspectors trained on forced labour indicators",
            lead_agency=chairing,
            status="completed",
            budget_required=Decimal("50000"),
            gcm_objectives=[gcm[0]],
        ),
        DeliverableFactory(
            workplan=workplan,
            number=2,
            title="Mapping of services for migrant workers",
            lead_agency=other,
            status="on_track",
            budget_required=Decimal("30000"),
            gcm_objectives=gcm,
        ),
        DeliverableFactory(
            workplan=workplan,
            number=3,
            title="Study on domestic workers' access to health care",
            lead_agency=other,
            status="delayed",
            budget_required=Decimal("20000"),
            start_quarter=2,
            end_quarter=3,
        ),
        DeliverableFactory(
            workplan=workplan,
            number=4,
            title="Second-half deliverable",
            lead_agency=third,
            start_quarter=3,
            end_quarter=4,
            budget_required=Decimal("99000"),
        ),
    ]
    FundingFactory(deliverable=data.deliverables[0], amount=Decimal("40000"))
    FundingFactory(deliverable=data.deliverables[0], amount=Decimal("5000"), status="pledged")
    FundingFactory(deliverable=data.deliverables[1], amount=Decimal("15000"))
    FundingFactory(deliverable=data.deliverables[3], amount=Decimal("99000"))

    # Membership: WHOX joined in March; ILOX got a new focal point in April.
    from members.models import Membership

    Membership.objects.filter(organisation=third).update(joined_on=date(2025, 3, 1))
    focal_point(other, full_name="Nadia Focal")
    from members.models import Appointment

    Appointment.objects.filter(organisation=other).update(start_date=date(2025, 4, 1))
    Membership.objects.filter(organisation__in=[chairing, other]).update(joined_on=date(2020, 1, 1))
    Appointment.objects.filter(organisation=chairing).update(start_date=date(2020, 1, 1))
    return data


@pytest.fixture
def report(period_data):
    from reports import services

    return services.report_create(kind="biannual", period=PERIOD, by=period_data.chair)

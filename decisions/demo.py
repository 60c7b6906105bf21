"""Demo decisions: adopted, not adopted (one objection), open ones, one under silence procedure."""

from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting
from members.models import Appointment, Organisation

from . import services
from .models import Decision

CO_CHAIR = "iom.focal@example.org"

# title, procedure, text, rationale, proposing agency
ADOPTED = (
    "Adoption of the Network's annual workplan",
    "written",
    "The Network adopts its annual workplan as circulated, with the deliverables, lead agencies "
    "and timelines set out in the annex.",
    "The workplan was discussed at the last regular meeting; the comments received are "
    "reflected in the circulated version.",
    "IOM",
)
NOT_ADOPTED = (
    "Joint public statement on recruitment fees",
    "written",
    "The Network issues the annexed joint public statement calling for the elimination of "
    "recruitment fees charged to migrant workers.",
    "Proposed following the regional consultation on fair recruitment.",
    "ILO",
)
OPEN_WRITTEN = (
    "Endorsement of the standard operating procedures for case referral",
    "written",
    "The Network endorses the standard operating procedures for the referral of individual "
    "cases between member agencies, as annexed, for use from the first day of next month.",
    "The procedures implement ToR objective 6 and were reviewed by the protection working group.",
    "UNHCR",
)
OPEN_SILENCE = (
    "Amendment of the Terms of Reference: meeting frequency",
    "silence",
    "Section 5 of the Terms of Reference is amended so that regular meetings are held every two "
    "months, with extraordinary meetings convened by the co-chairs as needed.",
    "Aligns the ToR with current practice; circulated under silence procedure as agreed at the "
    "last meeting.",
    "IOM",
)
DRAFT = (
    "Joint advocacy message for International Migrants Day",
    "written",
    "The Network agrees the joint advocacy message annexed for International Migrants Day.",
    "",
    "UNICEF",
)


def _representative(organisation):
    appointment = (
        Appointment.objects.active()
        .filter(organisation=organisation)
        .order_by("-kind")  # the focal point before the alternate
        .select_related("person")
        .first()
    )
    return appointment.person if appointment else None


def _create(context, spec, *, deadline_days, by):
    title, procedure, text, rationale, proposer = spec
    existing = Decision.objects.filter(title=title).first()
    if existing:
        return existing, False
    decision = services.decision_create(
        title=title,
        text=text,
        rationale=rationale,
        proposing_organisation=Organisation.objects.get(acronym=proposer),
        procedure=procedure,
        deadline=timezone.now() + timedelta(days=deadline_days) if deadline_days else None,
        by=by,
    )
    return decision, True


def _positions(decision, stances):
    for acronym, stance, reason in stances:
        organisation = Organisation.objects.get(acronym=acronym)
        person = _representative(organisation)
        if person is not None:
            services.position_record(
                decision=decision,
                organisation=organisation,
                stance=stance,
                reason=reason,
                by=person,
            )


def _everyone(decision, exceptions):
    stances = {acronym: (stance, reason) for acronym, stance, reason in exceptions}
    return [
        (member.organisation.acronym, *stances.get(member.organisation.acronym, ("concur", "")))
        for member in decision.electorate.select_related("organisation")
    ]


def seed(context):
    chair = context.person(CO_CHAIR)

    decision, created = _create(context, ADOPTED, deadline_days=7, by=chair)
    if created:
        services.decision_open(decision=decision, by=chair)
        _positions(decision, _everyone(decision, [("UNEP", "stand_aside", "")]))
        services.decision_close(decision=decision, by=chair)

    decision, created = _create(context, NOT_ADOPTED, deadline_days=7, by=chair)
    if created:
        services.decision_open(decision=decision, by=chair)
        objection = (
            "UNHCR",
            "object",
            "The statement does not address refugees recruited for work; we propose a revised "
            "paragraph 3 before endorsing it.",
        )
        _positions(decision, _everyone(decision, [objection, ("WHO", "stand_aside", "")]))
        services.decision_close(decision=decision, by=chair)

    decision, created = _create(context, OPEN_WRITTEN, deadline_days=6, by=chair)
    if created:
        services.decision_open(decision=decision, by=chair)
        _positions(
            decision,
            [
                ("IOM", "concur", ""),
                ("ILO", "concur", ""),
                ("WHO", "stand_aside", ""),
                ("UNODC", "concur", ""),
                ("UN Women", "concur", ""),
            ],
        )

    # The network gives silence procedures at least five working days (Network setting).
    decision, created = _create(context, OPEN_SILENCE, deadline_days=8, by=chair)
    if created:
        services.decision_open(decision=decision, by=chair)
        _positions(decision, [("ILO", "concur", ""), ("UNDP", "concur", "")])

    meeting = (
        Meeting.objects.filter(status__in=["scheduled", "draft"]).order_by("starts_at").first()
    )
    decision, created = _create(context, DRAFT, deadline_days=None, by=chair)
    if created and meeting is not None:
        services.decision_update(decision=decision, by=chair, meeting=meeting, procedure="meeting")

    context.log.append(
        f"Decisions: {Decision.objects.count()} "
        f"({Decision.objects.open().count()} open, "
        f"{Decision.objects.filter(status='adopted').count()} adopted, "
        f"{Decision.objects.filter(status='not_adopted').count()} not adopted)."
    )

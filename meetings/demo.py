"""Demo meetings: a year of bi-monthly meetings around today (see core.seeding).

Past meetings are held, with attendance, action points and approved minutes (the last one's
minutes are out for comment); the next one is scheduled with an agenda, a guest and some answers;
the one after is a draft. No email is sent: the demo may run against a real mail server.
"""

import itertools
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone, translation

from core.models import Network, ToRObjective

from . import generated
from .models import ActionPoint, AgendaItem, Attendance, Meeting, Minutes, Participant
from .services.meetings import invite_members, member_representatives
from .services.minutes import minutes_approve, minutes_draft
from .services.participation import participant_add_guest

SECRETARIAT = "iom.focal@example.org"

PAST_AGENDAS = [
    [
        ("Adoption of the agenda and of the minutes of the previous meeting", "IOM", None),
        ("Mapping of services for migrant workers in vulnerable situations", "ILO", 5),
        ("Preparations for the GCM regional review", "IOM", 4),
        ("Any other business", None, None),
    ],
    [
        ("Adoption of the agenda and of the minutes of the previous meeting", "IOM", None),
        ("Joint advocacy on domestic workers' protection", "ILO", 2),
        ("Standard operating procedures for case referral", "UNHCR", 6),
        ("Any other business", None, None),
    ],
]
ACTION_TEMPLATES = [
    [
        ("Circulate the draft service mapping to all focal points", "IOM", 10, "done"),
        ("Send inputs for the workplan mid-year review", "UNICEF", 30, "dropped"),
    ],
    [
        ("Share contacts of the new labour inspection focal point", "ILO", 14, "done"),
        ("Collect data on heat-stress cases among outdoor workers", "WHO", 30, "done"),
    ],
    [
        ("Propose dates for the referral SOP workshop", "UNHCR", 21, "open"),
        ("Draft the joint advocacy note on domestic workers", "ILO", 35, "done"),
    ],
    [
        ("Circulate the GCM review questionnaire to the Government", "IOM", 14, "open"),
        ("Update the service directory entries of all agencies", "UNICEF", 60, "open"),
    ],
]
NEXT_AGENDA = [
    ("Adoption of the agenda and of the minutes of the previous meeting", "IOM", None, 10),
    ("Workplan 2026: progress by objective", "IOM", 1, 30),
    ("Labour market reforms: briefing by the LMRA", "LMRA", 3, 25),
    ("Health of migrant workers: heat-stress campaign", "WHO", 2, 20),
]


def _slot(day, tzinfo):
    starts = datetime.combine(day, time(10, 0), tzinfo=tzinfo)
    return starts, starts + timedelta(hours=2)


def _first_tuesday(year, month):
    first = datetime(year, month, 1).date()
    return first + timedelta(days=(1 - first.weekday()) % 7)


def _months_back(today, months):
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def _title(day):
    """A regular meeting's title as "Generate the year" writes it: worded in each reader's
    language (meetings.generated), stored in the default one."""
    params = generated.regular_meeting_params(datetime.combine(day, time()))
    with translation.override(settings.LANGUAGE_CODE):
        title = generated.regular_meeting_title(params)
    return {"title": title, "generated_kind": generated.REGULAR_MEETING, "generated_params": params}


def _past_meeting(context, day, index, by, tzinfo):
    starts, ends = _slot(day, tzinfo)
    meeting = Meeting.objects.create(
        **_title(day),
        kind=Meeting.Kind.REGULAR,
        status=Meeting.Status.SCHEDULED,
        starts_at=starts,
        ends_at=ends,
        place="UN House, Manama",
        online_link="https://meet.example.org/unnm-bahrain",
        created_by=by,
    )
    invite_members(meeting)
    for position, (title, acronym, objective) in enumerate(
        PAST_AGENDAS[index % len(PAST_AGENDAS)], start=1
    ):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title,
            presenter_organisation=context.organisations.get(acronym),
            tor_objective=_objective(objective),
            minutes_allotted=20,
            proposed_by=by,
        )
    # Everyone answered; two agencies each time stayed away (rotating), so absences show.
    absent = {"UNEP", "UNIDO"} if index % 2 else {"UN-Habitat", "UNFPA"}
    for participant in meeting.participants.select_related("organisation", "person"):
        acronym = participant.organisation.acronym if participant.organisation else ""
        participant.response = (
            Participant.Response.NOT_ATTENDING if acronym in absent else "attending"
        )
        participant.responded_at = starts - timedelta(days=3)
        participant.save(update_fields=["response", "responded_at"])
    seen = set()
    # The focal point attends for the agency ("focal_point" sorts after "alternate").
    for appointment in member_representatives().order_by("organisation__acronym", "-kind"):
        organisation = appointment.organisation
        if organisation.acronym in absent or organisation.pk in seen:
            continue
        seen.add(organisation.pk)
        Attendance.objects.create(
            meeting=meeting,
            person=appointment.person,
            name=appointment.person.get_full_name(),
            organisation=organisation,
            capacity=appointment.kind,
            recorded_by=by,
        )
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status", "updated_at"])
    for description, acronym, due_in, status in ACTION_TEMPLATES[index % len(ACTION_TEMPLATES)]:
        ActionPoint.objects.create(
            meeting=meeting,
            description=description,
            owner_organisation=context.organisations[acronym],
            due_date=day + timedelta(days=due_in),
            status=status,
            closed_at=None if status == "open" else starts + timedelta(days=due_in),
            created_by=by,
        )
    minutes_draft(meeting=meeting, by=by)
    return meeting


def _objective(number):
    """The ToR objective with this number (the network's one list, in core)."""
    return ToRObjective.objects.get(number=number) if number else None


def seed(context):
    if Meeting.objects.exists():
        context.log.append("Meetings: already seeded, nothing changed.")
        return
    by = context.person(SECRETARIAT)
    network = Network.objects.get_current()
    tzinfo = network.tzinfo
    today = context.today

    past = []
    for index, months in enumerate((8, 6, 4, 2)):
        year, month = _months_back(today, months)
        day = _first_tuesday(year, month)
        past.append(_past_meeting(context, day, index, by, tzinfo))

    # Minutes: each approved at the following meeting; the latest is out for comment.
    for meeting, following in itertools.pairwise(past):
        minutes = Minutes.objects.get(meeting=meeting)
        minutes_approve(
            minutes=minutes,
            approved_on=timezone.localtime(following.starts_at, tzinfo).date(),
            method=Minutes.ApprovalMethod.MEETING,
            approved_at_meeting=following,
            by=by,
        )
    latest = Minutes.objects.get(meeting=past[-1])
    minutes_circulate_quietly(latest, today + timedelta(days=7), by)

    next_day = today + timedelta(days=10)
    starts, ends = _slot(next_day, tzinfo)
    upcoming = Meeting.objects.create(
        **_title(next_day),
        kind=Meeting.Kind.REGULAR,
        starts_at=starts,
        ends_at=ends,
        place="UN House, Manama",
        online_link="https://meet.example.org/unnm-bahrain",
        agenda_cutoff=starts - timedelta(days=3),
        agenda_called_at=timezone.now(),
        created_by=by,
    )
    for position, (title, acronym, objective, minutes) in enumerate(NEXT_AGENDA, start=1):
        AgendaItem.objects.create(
            meeting=upcoming,
            position=position,
            title=title,
            presenter_organisation=context.organisations.get(acronym),
            tor_objective=_objective(objective),
            minutes_allotted=minutes,
            proposed_by=by,
        )
    AgendaItem.objects.create(
        meeting=upcoming,
        position=len(NEXT_AGENDA) + 1,
        title="Update on the referral pathway for survivors of trafficking",
        description="UNHCR proposes a short update on the pilot with MWPS.",
        status=AgendaItem.Status.PROPOSED,
        proposed_by=context.person("unhcr.focal@example.org"),
        proposing_organisation=context.organisations["UNHCR"],
        tor_objective=_objective(6),
        minutes_allotted=15,
    )
    participant_add_guest(
        meeting=upcoming,
        person=context.person("guest@example.org"),
        role_note="Guest speaker on item 3",
        by=by,
    )
    invite_members(upcoming)
    upcoming.status = Meeting.Status.SCHEDULED
    upcoming.save(update_fields=["status", "updated_at"])
    answers = {
        "ilo.focal@example.org": "attending",
        "unicef.focal@example.org": "alternate",
        "who.alternate@example.org": "attending",
        "unodc.focal@example.org": "not_attending",
    }
    for email, response in answers.items():
        Participant.objects.filter(meeting=upcoming, person__email=email).update(
            response=response, responded_at=timezone.now()
        )

    later_year, later_month = _months_back(today, -2)
    later_day = _first_tuesday(later_year, later_month)
    starts, ends = _slot(later_day, tzinfo)
    Meeting.objects.create(
        **_title(later_day),
        kind=Meeting.Kind.REGULAR,
        starts_at=starts,
        ends_at=ends,
        place="UN House, Manama",
        created_by=by,
    )
    context.log.append(
        f"Meetings: {Meeting.objects.count()} meetings, "
        f"{ActionPoint.objects.count()} action points, "
        f"{Attendance.objects.count()} attendance records."
    )


def minutes_circulate_quietly(minutes, deadline, by):
    """Circulate without emailing the demo's (possibly real) recipients: status only."""
    minutes.status = Minutes.Status.CIRCULATED
    minutes.comment_deadline = deadline
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "comment_deadline", "circulated_at"])

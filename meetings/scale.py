"""Scale dataset (seed_scale): a decade of meetings with agendas, invitations and action points."""

from datetime import timedelta

from django.utils import timezone

from core.scaling import bulk_create

from .models import ActionPoint, AgendaItem, Meeting, Participant, TorObjective

AGENDA_ITEMS = 4
# Agencies invited besides the demo's (whose people must see the meetings).
OTHER_INVITED = 4


def seed(context):
    size, rng = context.size, context.rng
    now = timezone.now()
    first = now - timedelta(days=365 * (size.years - 1))
    step = (now + timedelta(days=365) - first) / size.meetings
    chair = context.demo.person("iom.focal@example.org")
    meetings = []
    for index in range(size.meetings):
        starts = (first + step * index).replace(minute=0, second=0, microsecond=0)
        past = starts < now
        cancelled = past and index % 20 == 7
        meetings.append(
            Meeting(
                title=f"Network meeting {index + 1}",
                kind=Meeting.Kind.EXTRAORDINARY if index % 6 == 5 else Meeting.Kind.REGULAR,
                status=(
                    Meeting.Status.CANCELLED
                    if cancelled
                    else Meeting.Status.HELD
                    if past
                    else Meeting.Status.SCHEDULED
                ),
                cancellation_reason="Postponed for lack of quorum." if cancelled else "",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="UN House",
                created_by=chair,
            )
        )
    meetings = bulk_create(Meeting, meetings)
    context.meeting_ids = [meeting.pk for meeting in meetings]

    agencies = context.agencies
    demo = agencies[: context.demo_agency_count]
    others = agencies[context.demo_agency_count :]
    objectives = TorObjective.values
    items, participants, action_points = [], [], []
    for meeting in meetings:
        for position in range(1, AGENDA_ITEMS + 1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=f"Agenda item {position} of meeting {meeting.pk}",
                    presenter_organisation=rng.choice(agencies),
                    tor_objective=rng.choice(objectives),
                )
            )
        invited = demo + rng.sample(others, min(OTHER_INVITED, len(others)))
        past = meeting.status == Meeting.Status.HELD
        for agency in invited:
            person = context.representatives.get(agency.pk)
            if person is None:
                continue
            participants.append(
                Participant(
                    meeting=meeting,
                    person_id=person,
                    organisation=agency,
                    response=Participant.Response.ATTENDING if past else Participant.Response.NONE,
                )
            )
        if past:
            owner = rng.choice(invited)
            action_points.append(
                ActionPoint(
                    meeting=meeting,
                    description=f"Follow up on item 1 of meeting {meeting.pk}.",
                    owner_organisation=owner,
                    due_date=timezone.localtime(meeting.starts_at).date() + timedelta(days=30),
                    # A few stay open, as at any network: they carry over to the next meeting.
                    status=ActionPoint.Status.OPEN
                    if rng.random() < 0.2
                    else ActionPoint.Status.DONE,
                    created_by=chair,
                )
            )
    bulk_create(AgendaItem, items)
    bulk_create(Participant, participants)
    bulk_create(ActionPoint, action_points)
    context.log.append(
        f"Meetings: {len(meetings)}, agenda items: {len(items)}, invitations: "
        f"{len(participants)}, action points: {len(action_points)}."
    )

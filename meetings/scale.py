"""Scale dataset (seed_scale): a decade of meetings with agendas, invitations and action points."""

from datetime import timedelta

from django.utils import timezone

from core.models import ToRObjective
from core.scaling import bulk_create

from .models import ActionPoint, AgendaItem, Meeting, Participant

AGENDA_ITEMS = 4
CHUNK = 5_000
# Agencies invited besides the demo's (whose people must see the meetings).
OTHER_INVITED = 4


def seed(context):
    size = context.size
    now = timezone.now()
    first = now - timedelta(days=365 * (size.years - 1))
    step = (now + timedelta(days=365) - first) / size.meetings
    chair = context.demo.person("iom.focal@example.org")
    totals = dict.fromkeys(("meetings", "items", "participants", "action_points"), 0)
    # Built and inserted a chunk at a time, so the stress size does not hold millions of rows.
    for start in range(0, size.meetings, CHUNK):
        meetings = []
        for index in range(start, min(start + CHUNK, size.meetings)):
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
        bulk_create(Meeting, meetings)
        context.meeting_ids.extend(meeting.pk for meeting in meetings)
        for name, count in _seed_contents(context, meetings, chair).items():
            totals[name] += count
        totals["meetings"] += len(meetings)
    context.log.append(
        f"Meetings: {totals['meetings']}, agenda items: {totals['items']}, invitations: "
        f"{totals['participants']}, action points: {totals['action_points']}."
    )


def _seed_contents(context, meetings, chair):
    """Agenda items, invitations (every demo agency's, and a few others) and action points."""
    rng, agencies = context.rng, context.agencies
    demo = agencies[: context.demo_agency_count]
    others = agencies[context.demo_agency_count :]
    objectives = list(ToRObjective.objects.values_list("pk", flat=True))
    items, participants, action_points = [], [], []
    for meeting in meetings:
        for position in range(1, AGENDA_ITEMS + 1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=f"Agenda item {position} of meeting {meeting.pk}",
                    presenter_organisation=rng.choice(agencies),
                    tor_objective_id=rng.choice(objectives),
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
            action_points.append(
                ActionPoint(
                    meeting=meeting,
                    description=f"Follow up on item 1 of meeting {meeting.pk}.",
                    owner_organisation=rng.choice(invited),
                    due_date=timezone.localtime(meeting.starts_at).date() + timedelta(days=30),
                    # A few stay open, as at any network: they carry over to the next meeting.
                    status=(
                        ActionPoint.Status.OPEN if rng.random() < 0.2 else ActionPoint.Status.DONE
                    ),
                    created_by=chair,
                )
            )
    bulk_create(AgendaItem, items)
    bulk_create(Participant, participants)
    bulk_create(ActionPoint, action_points)
    return {
        "items": len(items),
        "participants": len(participants),
        "action_points": len(action_points),
    }

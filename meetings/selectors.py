"""Read models of the meetings pages, with their joins done here."""

from collections import OrderedDict

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from core.db import count_of
from core.pagination import SortKey
from members.models import Appointment, Membership, Organisation
from members.roles import MEMBER_ROLES, Role
from members.selectors import people_holding_roles

from . import rules
from .models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    Participant,
    action_points_open_first,
)


def member_agencies():
    """Organisations with an active member or co-chair membership, by acronym."""
    return (
        Organisation.objects.filter(
            memberships__role__in=(Membership.Role.MEMBER, Membership.Role.CO_CHAIR),
            memberships__left_on__isnull=True,
        )
        .distinct()
        .order_by("acronym")
    )


# Who each pick-list of people offers: only people who hold one of these roles now (a replaced
# focal point or an administrator without a network role is in none of them).
PRESENTER_ROLES = MEMBER_ROLES | {Role.GUEST}
ATTENDEE_ROLES = MEMBER_ROLES | {Role.GUEST}
ACTION_OWNER_ROLES = MEMBER_ROLES
GUEST_ROLES = frozenset({Role.GUEST})


def presenter_choices():
    return people_holding_roles(PRESENTER_ROLES)


def attendee_choices():
    return people_holding_roles(ATTENDEE_ROLES)


def action_owner_choices():
    return people_holding_roles(ACTION_OWNER_ROLES)


def guest_choices(meeting):
    return people_holding_roles(GUEST_ROLES).exclude(meeting_invitations__meeting=meeting)


def meeting_list_ordering(when):
    """Upcoming meetings soonest first; past ones (and all) the latest first."""
    return ["starts_at"] if when == "upcoming" else ["-starts_at"]


def meeting_list(user, *, when="upcoming"):
    meetings = Meeting.objects.visible_to(user).annotate(
        item_count=count_of(AgendaItem.objects.filter(status="accepted"), field="meeting"),
        participant_count=count_of(Participant.objects.all(), field="meeting"),
    )
    if when == "past":
        return meetings.filter(
            Q(status__in=("held", "cancelled")) | Q(ends_at__lt=timezone.now())
        ).order_by("-starts_at")
    if when == "all":
        return meetings.order_by("-starts_at")
    return meetings.filter(status__in=("draft", "scheduled"), ends_at__gte=timezone.now()).order_by(
        "starts_at"
    )


def agenda(meeting):
    return (
        meeting.agenda_items.select_related(
            "presenter_person",
            "presenter_organisation",
            "proposed_by",
            "proposing_organisation",
            "tor_objective",
        )
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("title")))
        .order_by("position")
    )


def rsvp_table(meeting):
    """One row per invited agency (guests last): its people's answers and the agency's answer."""
    # "member" sorts after "guest": descending puts member agencies first, guests last.
    participants = meeting.participants.select_related("person", "organisation").order_by(
        "-kind", "organisation__acronym", "person__full_name"
    )
    rows = OrderedDict()
    for participant in participants:
        key = (participant.kind, participant.organisation_id or f"p{participant.person_id}")
        row = rows.setdefault(
            key,
            {
                "organisation": participant.organisation,
                "kind": participant.kind,
                "participants": [],
            },
        )
        row["participants"].append(participant)
    result = []
    counts = {"attending": 0, "alternate": 0, "not_attending": 0, "none": 0}
    for row in rows.values():
        row["answer"] = rules.agency_answer([p.response for p in row["participants"]])
        row["answer_label"] = Participant.Response(row["answer"]).label
        counts[row["answer"] or "none"] += 1
        result.append(row)
    return {"rows": result, "counts": counts}


def attendance_by_agency(meeting):
    """Present people grouped by organisation, and the member agencies with nobody present."""
    present = list(
        meeting.attendance.select_related("organisation", "person").order_by(
            "organisation__acronym", "name"
        )
    )
    groups = OrderedDict()
    for attendance in present:
        groups.setdefault(attendance.organisation, []).append(attendance)
    present_ids = {attendance.organisation_id for attendance in present}
    absent = [agency for agency in member_agencies() if agency.pk not in present_ids]
    return {"attendance_groups": list(groups.items()), "absent_agencies": absent}


def meeting_record(meeting):
    """What the minutes start from."""
    return {
        "meeting": meeting,
        "agenda_items": list(
            meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
            .select_related("presenter_person", "presenter_organisation", "tor_objective")
            .order_by("position")
        ),
        "action_points": list(
            meeting.action_points.select_related("owner_organisation", "owner_person").order_by(
                "pk"
            )
        ),
        **attendance_by_agency(meeting),
    }


def action_point_list(user, *, status="", organisation=None, meeting=None, mine=False, q=""):
    actions = ActionPoint.objects.visible_to(user).select_related(
        "meeting", "owner_organisation", "owner_person"
    )
    if mine:
        actions = actions.owned_by(user)
    if status == "overdue":
        actions = actions.overdue()
    elif status:
        actions = actions.filter(status=status)
    if organisation:
        actions = actions.filter(owner_organisation=organisation)
    if meeting:
        actions = actions.filter(meeting=meeting)
    if q:
        actions = actions.filter(description__icontains=q)
    # Open ones first, the most urgent on top; closed ones after.
    return actions.annotate(closed=action_points_open_first()).order_by(
        *[key.order_expression() for key in ACTION_POINT_ORDER], "pk"
    )


# The order of the action-point list, for its keyset pages (core.pagination).
ACTION_POINT_ORDER = [SortKey("closed"), SortKey("due_date", nulls_last=True)]


def next_meeting_for(user):
    """The person's next scheduled meeting and their invitation (or None), in one query."""
    mine = Participant.objects.filter(meeting=OuterRef("pk"), person=user).order_by()
    meeting = (
        Meeting.objects.visible_to(user)
        .upcoming()
        .annotate(
            my_participant_id=Subquery(mine.values("pk")[:1]),
            my_response=Subquery(mine.values("response")[:1]),
        )
        .first()
    )
    if meeting is None:
        return None, None
    participant = None
    if meeting.my_participant_id is not None:
        # The card reads the answer alone; the row is not fetched a second time for it.
        participant = Participant(
            pk=meeting.my_participant_id, meeting=meeting, person=user, response=meeting.my_response
        )
    return meeting, participant


def meeting_day_attendance(meeting):
    """The meeting-day sheet: one row per invited agency (guests last), each person pre-filled.

    Someone already recorded shows as recorded; otherwise the answers decide (presumed_present).
    """
    participants = list(
        meeting.participants.select_related("person", "organisation").order_by(
            "-kind", "organisation__acronym", "person__full_name"
        )
    )
    person_ids = [participant.person_id for participant in participants]
    seats = dict(
        Appointment.objects.active()
        .filter(person_id__in=person_ids)
        .values_list("person_id", "kind")
    )
    chairs = set(meeting.chairs.values_list("pk", flat=True))
    recorded = {
        attendance.person_id: attendance
        for attendance in meeting.attendance.filter(person_id__in=person_ids)
    }
    rows = OrderedDict()
    for participant in participants:
        key = (participant.kind, participant.organisation_id or f"p{participant.person_id}")
        rows.setdefault(
            key,
            {"organisation": participant.organisation, "kind": participant.kind, "people": []},
        )["people"].append(participant)
    result = []
    for row in rows.values():
        answer = rules.agency_answer([p.response for p in row["people"]])
        people = []
        for participant in row["people"]:
            seat = seats.get(participant.person_id, "")
            attendance = recorded.get(participant.person_id)
            if attendance is not None:
                present, capacity = True, attendance.capacity
            else:
                present = rules.presumed_present(
                    own_response=participant.response, agency_answer=answer, seat=seat
                )
                if participant.person_id in chairs:
                    capacity = Attendance.Capacity.CHAIR
                elif seat:
                    capacity = seat
                elif participant.kind == Participant.Kind.GUEST:
                    capacity = Attendance.Capacity.OBSERVER
                else:
                    capacity = Attendance.Capacity.AGENCY_STAFF
            people.append(
                {
                    "participant": participant,
                    "present": present,
                    "recorded": attendance is not None,
                    "capacity": capacity,
                }
            )
        result.append({**row, "answer": answer, "people": people})
    return result

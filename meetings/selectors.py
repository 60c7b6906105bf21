"""Read models of the meetings pages, with their joins done here."""

import hashlib
import time as pytime
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Extract
from django.utils import timezone, translation

from core.db import count_of
from core.pagination import SortKey
from members.models import Appointment, Membership, Organisation
from members.roles import MEMBER_ROLES, Role
from members.selectors import people_holding_roles

from . import rules
from .ics import feed_events
from .models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    Participant,
    action_points_open_first,
)
from .querysets import sees_every_meeting


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


# The calendar feed's window: six months back, two years ahead, in whole days of the network's
# time zone, so that which meetings it holds changes only with the data or at midnight.
FEED_PAST_DAYS = 183
FEED_FUTURE_DAYS = 730
# Part of every cache key: a change to how events are written changes every key.
FEED_FORMAT = 1
FEED_CACHE_SECONDS = 24 * 60 * 60


def calendar_feed_window(tzinfo):
    """The feed's first and first-excluded start time."""
    today = timezone.localdate(timezone=tzinfo)
    midnight = datetime.combine(today, time.min, tzinfo=tzinfo)
    return (
        midnight - timedelta(days=FEED_PAST_DAYS),
        midnight + timedelta(days=FEED_FUTURE_DAYS + 1),
    )


def calendar_feed_meetings(person, *, start, end):
    """The meetings in a person's feed: those they may open, no drafts, within the window."""
    return (
        Meeting.objects.visible_to(person)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(starts_at__gte=start, starts_at__lt=end)
    )


@dataclass(frozen=True)
class CalendarFeed:
    """What a person's feed shows now: its cache key and its ETag, from one aggregate query."""

    person: object
    start: datetime
    end: datetime
    language: str
    tzinfo: object
    base_url: str
    key: str
    etag: str


def calendar_feed(person, *, tzinfo, base_url):
    """The state of a person's feed, from one aggregate over the meetings in its window.

    Correct by construction, given that every write to a meeting sets `updated_at` (the
    services save it; meetings/demo.py's status saves too): a meeting that leaves the feed
    (deleted, made a draft, moved out of the window) lowers the count; one that enters it was
    written now and raises the newest `updated_at`. `updated_at` is taken when a row is saved,
    not when its transaction commits: a change committed after a later one leaves the newest
    value as it was, so on PostgreSQL the sum of the `updated_at`s is part of the state too (any
    write raises its row's). A guest sees only their invitations: a new one is a higher id.
    """
    start, end = calendar_feed_window(tzinfo)
    meetings = calendar_feed_meetings(person, start=start, end=end)
    if sees_every_meeting(person):
        # The same feed for every member: one cached body serves them all.
        scope, rows, prefix = "network", meetings, ""
        extra = {}
    else:
        scope, prefix = f"person-{person.pk}", "meeting__"
        rows = Participant.objects.filter(
            person=person, kind=Participant.Kind.GUEST, meeting__in=meetings
        )
        extra = {"invited": Max("pk")}
    if connection.vendor == "postgresql":
        # In microseconds: Extract's default output (an integer) would drop them.
        epoch = Extract(
            f"{prefix}updated_at",
            "epoch",
            output_field=DecimalField(max_digits=30, decimal_places=6),
        )
        extra["written"] = Sum(epoch)
    state = rows.aggregate(count=Count("pk"), changed=Max(f"{prefix}updated_at"), **extra)
    # A person with a preferred language reads their calendar in it, whatever the client sends.
    language = person.preferred_language or translation.get_language()
    changed = state["changed"].isoformat() if state["changed"] else "-"
    key = ":".join(
        str(part)
        for part in (
            FEED_FORMAT,
            scope,
            language,
            tzinfo.key,
            base_url,
            start.isoformat(),
            state["count"],
            changed,
            state.get("invited"),
            state.get("written"),
        )
    )
    key = "meetings:feed:" + hashlib.sha256(key.encode()).hexdigest()
    # The feed's name carries the person's name, so the ETag is the person's own.
    etag = hashlib.sha256(f"{key}:{person.pk}:{person}".encode()).hexdigest()[:32]
    return CalendarFeed(
        person=person,
        start=start,
        end=end,
        language=language,
        tzinfo=tzinfo,
        base_url=base_url,
        key=key,
        etag=f'"{etag}"',
    )


def calendar_feed_first_seen(feed):
    """When the portal first served this state of the feed (its Last-Modified, in seconds)."""
    return cache.get_or_set(feed.key + ":seen", int(pytime.time()), FEED_CACHE_SECONDS)


def calendar_feed_events(feed):
    """The feed's events as iCalendar text, rendered once per state, language and audience."""
    events = cache.get(feed.key)
    if events is None:
        # Read after the aggregate that named the key: the text is never older than its key.
        meetings = (
            calendar_feed_meetings(feed.person, start=feed.start, end=feed.end)
            .only(*FEED_FIELDS)
            .order_by("starts_at", "pk")
        )
        with translation.override(feed.language):
            events = feed_events(meetings.iterator(), tzinfo=feed.tzinfo, base_url=feed.base_url)
        cache.set(feed.key, events, FEED_CACHE_SECONDS)
    return events


# What an event of the feed shows (meetings.ics.feed_events).
FEED_FIELDS = (
    "pk",
    "uid",
    "sequence",
    "title",
    "generated_kind",
    "generated_params",
    "status",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
)

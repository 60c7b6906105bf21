"""Meetings pages by demo roles (see tests/permission_matrix/__init__.py).

Organisers (co-chairs, secretariat) manage; members read; guests and the platform admin get a 404
for a meeting they are not invited to: it does not exist for them.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    UserFactory,
    past_meeting,
)

from . import CO_CHAIRS, FOCAL_POINTS, MEMBERS, Page, allow

SECRETARY = "iom.focal@example.org"
NOT_THERE = {"admin": 404, "guest": 404}  # the meeting is not visible to them at all
CAN_OPEN = (*MEMBERS, "guest")


def _by(world):
    return world.person(SECRETARY)


def _scheduled(world):
    from meetings.services.meetings import meeting_schedule

    return meeting_schedule(meeting=MeetingFactory(), by=_by(world))


def _held(world, minutes_status=None):
    from meetings.models import Minutes
    from meetings.services.minutes import minutes_draft

    meeting = past_meeting()
    if minutes_status:
        minutes = minutes_draft(meeting=meeting, by=_by(world))
        Minutes.objects.filter(pk=minutes.pk).update(
            status=minutes_status, comment_deadline=timezone.localdate() + timedelta(days=5)
        )
    return meeting


def _meeting(world):
    return {"pk": _scheduled(world).pk}


def _item(world, status="accepted"):
    meeting = _scheduled(world)
    AgendaItemFactory(meeting=meeting, position=1)
    item = AgendaItemFactory(meeting=meeting, position=2, status=status)
    return {"pk": meeting.pk, "item": item.pk}


def _guest(world):
    from meetings.services.participation import participant_add_guest
    from members.roles import Role

    meeting = _scheduled(world)
    person = UserFactory(roles=[Role.GUEST])
    participant = participant_add_guest(meeting=meeting, person=person, by=_by(world))
    return {"pk": meeting.pk, "participant": participant.pk}


def _attendance(world):
    from meetings.models import Attendance

    meeting = _held(world)
    record = Attendance.objects.create(meeting=meeting, name="Observer", capacity="observer")
    return {"pk": meeting.pk, "attendance": record.pk}


def _document(world):
    from meetings.services.documents import document_upload

    meeting = _scheduled(world)
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    return document_upload(meeting=meeting, upload=upload, title="Note", by=_by(world))


def _action(world):
    meeting = _held(world)
    return ActionPointFactory(meeting=meeting, owner_organisation=world.organisation("UNHCR"))


def _feed_token(world):
    from meetings.services.participation import calendar_token_for

    return {"token": calendar_token_for(world.person("unhcr.focal@example.org")).token}


def _under_way(world):
    """A scheduled meeting that started an hour ago (the meeting day), members invited."""
    from meetings.services.meetings import invite_members

    now = timezone.now()
    meeting = MeetingFactory(
        status="scheduled", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    invite_members(meeting)
    return {"pk": meeting.pk}


ORGANISERS_ONLY = allow(CO_CHAIRS, **NOT_THERE)
ORGANISERS_POST = allow(CO_CHAIRS, ok=302, **NOT_THERE)
# A second organiser finds the object gone after the first one removed it.
ORGANISERS_POST_GONE = allow(CO_CHAIRS, ok=302, ilo_focal=404, **NOT_THERE)
MEMBERS_READ = allow(MEMBERS, **NOT_THERE)
ACTION_OWNERS = (*CO_CHAIRS, "unhcr_focal")

PAGES = [
    Page("meetings:list", allow(CAN_OPEN)),
    Page("meetings:create", allow(CO_CHAIRS)),
    Page("meetings:generate", allow(CO_CHAIRS)),
    Page("meetings:detail", MEMBERS_READ, kwargs=_meeting),
    Page(
        "meetings:detail",
        allow(CO_CHAIRS, denied=404),
        kwargs=lambda w: {"pk": MeetingFactory().pk},
        note="draft",
    ),
    Page("meetings:edit", ORGANISERS_ONLY, kwargs=_meeting),
    Page(
        "meetings:schedule",
        # The RCO tries before the IOM co-chair schedules it: a draft is not visible to members.
        allow(CO_CHAIRS, ok=302, rco=404, **NOT_THERE),
        kwargs=lambda w: {"pk": MeetingFactory().pk},
        method="post",
    ),
    Page("meetings:held", ORGANISERS_POST, kwargs=_meeting, method="post"),
    Page(
        "meetings:delete",
        # The IOM co-chair deletes the draft; for everyone after, it is gone (before: not visible).
        allow(("iom_focal",), ok=302, denied=404),
        kwargs=lambda w: {"pk": MeetingFactory().pk},
        method="post",
    ),
    Page("meetings:cancel", ORGANISERS_ONLY, kwargs=_meeting),
    Page("meetings:ics", MEMBERS_READ, kwargs=_meeting),
    Page("meetings:call_for_items", ORGANISERS_ONLY, kwargs=_meeting),
    Page("meetings:agenda_add", ORGANISERS_ONLY, kwargs=_meeting),
    Page("meetings:agenda_propose", allow(FOCAL_POINTS, **NOT_THERE), kwargs=_meeting),
    Page("meetings:agenda_edit", ORGANISERS_ONLY, kwargs=_item),
    Page(
        "meetings:agenda_accept",
        ORGANISERS_POST,
        kwargs=lambda w: _item(w, "proposed"),
        method="post",
    ),
    Page(
        "meetings:agenda_decline",
        ORGANISERS_POST,
        kwargs=lambda w: _item(w, "proposed"),
        method="post",
        data={"reason": "Next meeting"},
    ),
    Page("meetings:agenda_delete", ORGANISERS_POST_GONE, kwargs=_item, method="post"),
    Page(
        "meetings:agenda_move",
        ORGANISERS_POST,
        kwargs=_item,
        method="post",
        data={"direction": "up"},
    ),
    Page("meetings:carry_over", ORGANISERS_POST, kwargs=_meeting, method="post"),
    Page(
        "meetings:agenda_circulate",
        ORGANISERS_POST,
        kwargs=lambda w: {"pk": _item(w)["pk"]},
        method="post",
    ),
    Page("meetings:agenda_print", MEMBERS_READ, kwargs=_meeting),
    Page("meetings:agenda_pdf", MEMBERS_READ, kwargs=_meeting),
    Page("meetings:guest_add", ORGANISERS_ONLY, kwargs=_meeting),
    Page("meetings:guest_remove", ORGANISERS_POST_GONE, kwargs=_guest, method="post"),
    Page(
        "meetings:rsvp",
        allow(FOCAL_POINTS, ok=302, **NOT_THERE),
        kwargs=_meeting,
        method="post",
        data={"response": "attending"},
    ),
    Page("meetings:rsvp_table", ORGANISERS_ONLY, kwargs=_meeting, htmx=True),
    Page("meetings:attendance", ORGANISERS_ONLY, kwargs=lambda w: {"pk": _held(w).pk}),
    Page("meetings:attendance_remove", ORGANISERS_POST_GONE, kwargs=_attendance, method="post"),
    Page("meetings:minutes", MEMBERS_READ, kwargs=lambda w: {"pk": _held(w, "circulated").pk}),
    Page(
        "meetings:minutes_draft",
        ORGANISERS_POST,
        kwargs=lambda w: {"pk": _held(w).pk},
        method="post",
    ),
    Page("meetings:minutes_edit", ORGANISERS_ONLY, kwargs=lambda w: {"pk": _held(w, "draft").pk}),
    Page(
        "meetings:minutes_circulate",
        ORGANISERS_POST,
        kwargs=lambda w: {"pk": _held(w, "draft").pk},
        method="post",
        data=lambda w: {"comment_deadline": str(timezone.localdate() + timedelta(days=7))},
    ),
    Page(
        "meetings:minutes_approve",
        ORGANISERS_POST,
        kwargs=lambda w: {"pk": _held(w, "circulated").pk},
        method="post",
        data=lambda w: {"approved_on": str(timezone.localdate()), "method": "no_objection"},
    ),
    Page(
        "meetings:minutes_comment",
        allow(MEMBERS, ok=302, **NOT_THERE),
        kwargs=lambda w: {"pk": _held(w, "circulated").pk},
        method="post",
        data={"body": "Please add the follow-up on item 2."},
    ),
    Page("meetings:minutes_pdf", MEMBERS_READ, kwargs=lambda w: {"pk": _held(w, "circulated").pk}),
    Page("meetings:document_upload", ORGANISERS_ONLY, kwargs=_meeting),
    Page(
        "meetings:document_delete",
        ORGANISERS_POST_GONE,
        kwargs=lambda w: {"pk": (d := _document(w)).meeting_id, "document": d.pk},
        method="post",
    ),
    Page(
        "meetings:document_download",
        MEMBERS_READ,
        kwargs=lambda w: {"pk": _document(w).pk},
    ),
    Page("meetings:action_add", ORGANISERS_ONLY, kwargs=lambda w: {"pk": _held(w).pk}),
    Page("meetings:actions", allow(MEMBERS)),
    Page(
        "meetings:action_edit",
        allow(ACTION_OWNERS, **NOT_THERE),
        kwargs=lambda w: {"pk": _action(w).pk},
    ),
    Page(
        "meetings:action_status",
        allow(ACTION_OWNERS, ok=302, **NOT_THERE),
        kwargs=lambda w: {"pk": _action(w).pk},
        method="post",
        data={"status": "done"},
    ),
    Page("meetings:day", ORGANISERS_ONLY, kwargs=_under_way),
    Page("meetings:day_attendance", ORGANISERS_POST, kwargs=_under_way, method="post"),
    Page("meetings:day_notes", ORGANISERS_POST, kwargs=_under_way, method="post"),
    Page(
        "meetings:day_actions",
        ORGANISERS_POST,
        kwargs=_under_way,
        method="post",
        data=lambda w: {
            "action-description": "Share the mapping",
            "action-owner_organisation": w.organisation("UNHCR").pk,
        },
    ),
    Page("meetings:calendar", allow(CAN_OPEN)),
    Page("meetings:calendar_rotate", allow(CAN_OPEN, ok=302), method="post"),
    Page("meetings:calendar_revoke", allow(CAN_OPEN, ok=302), method="post"),
    Page(
        "meetings:feed",
        allow(CAN_OPEN, admin=200, anonymous=200),
        kwargs=_feed_token,
        public=True,
        note="the token is the credential",
    ),
]

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from meetings.models import ActionPoint, AgendaItem, Meeting, Minutes, Participant
from meetings.services import actions, agenda, minutes, participation
from meetings.services import meetings as meeting_services
from tests.factories import (
    ActionPointFactory,
    AgendaItemFactory,
    MeetingFactory,
    invite,
    past_meeting,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


def _text(content):
    return content.decode() if isinstance(content, bytes) else content


def test_generating_a_year_creates_six_draft_regular_meetings(people):
    created = meeting_services.meeting_generate_year(
        year=2030,
        first_month=1,
        weekday=1,
        week=1,
        start_time=time(10, 0),
        duration_minutes=120,
        place="UN House",
        by=people.chair,
    )
    assert len(created) == 6
    assert {m.status for m in created} == {"draft"}
    assert {m.kind for m in created} == {"regular"}
    local = [timezone.localtime(m.starts_at, ZoneInfo("Asia/Bahrain")) for m in created]
    assert [d.month for d in local] == [1, 3, 5, 7, 9, 11]
    assert all(d.hour == 10 for d in local)
    assert AuditEntry.objects.filter(action="meetings.schedule.generated").count() == 1


def test_generating_a_year_twice_is_refused(people):
    kwargs = {
        "year": 2030,
        "first_month": 2,
        "weekday": 1,
        "week": 1,
        "start_time": time(10),
        "duration_minutes": 60,
    }
    meeting_services.meeting_generate_year(by=people.chair, **kwargs)
    with pytest.raises(DomainError):
        meeting_services.meeting_generate_year(by=people.chair, **kwargs)
    assert Meeting.objects.count() == 6


def test_scheduling_invites_every_focal_point_and_alternate_with_an_ics(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_schedule(meeting=meeting, by=people.chair)
    invited = set(meeting.participants.values_list("person__email", flat=True))
    assert invited == {
        people.chair.email,
        people.focal_a.email,
        people.alternate_a.email,
        people.focal_b.email,
    }
    assert people.staff_a.email not in invited
    assert people.guest.email not in invited
    assert sorted(m.to[0] for m in mailoutbox) == sorted(invited)
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert name == "meeting.ics"
    assert "method=REQUEST" in mimetype
    assert "METHOD:REQUEST" in _text(content)


def test_a_meeting_in_the_past_cannot_be_scheduled(people):
    meeting = past_meeting(status="draft")
    with pytest.raises(DomainError):
        meeting_services.meeting_schedule(meeting=meeting, by=people.chair)


def test_changing_a_scheduled_meeting_raises_the_sequence_and_sends_an_update(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    assert meeting.sequence == 0
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_services.meeting_update(
            meeting=meeting,
            by=people.chair,
            starts_at=meeting.starts_at + timedelta(hours=1),
            ends_at=meeting.ends_at + timedelta(hours=1),
        )
    assert meeting.sequence == 1
    assert len(mailoutbox) == 4
    assert all(m.subject.startswith("[UNNM Portal] Updated:") for m in mailoutbox)


def test_a_change_that_is_no_change_sends_nothing(people, mailoutbox):
    meeting = scheduled_meeting(by=people.chair)
    meeting_services.meeting_update(meeting=meeting, by=people.chair, title=meeting.title)
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_cancelling_requires_a_reason_and_sends_a_cancellation(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    with pytest.raises(DomainError):
        meeting_services.meeting_cancel(meeting=meeting, reason="  ", by=people.chair)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_services.meeting_cancel(
            meeting=meeting, reason="National holiday declared", by=people.chair
        )
    assert meeting.status == "cancelled"
    assert meeting.sequence == 1
    assert len(mailoutbox) == 4
    assert "METHOD:CANCEL" in _text(mailoutbox[0].attachments[0][1])


def test_marking_held_only_after_the_start(people):
    meeting = scheduled_meeting(by=people.chair)
    with pytest.raises(DomainError):
        meeting_services.meeting_mark_held(meeting=meeting, by=people.chair)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=1)
    )
    assert meeting_services.meeting_mark_held(meeting=meeting, by=people.chair).status == "held"


# --- Agenda ---------------------------------------------------------------------------------


def test_a_focal_point_proposes_before_the_cutoff_and_not_after(people):
    meeting = scheduled_meeting(by=people.chair)
    item = agenda.agenda_item_propose(meeting=meeting, by=people.focal_a, title="Heat stress")
    assert item.status == "proposed"
    assert item.proposing_organisation == people.agency_a
    Meeting.objects.filter(pk=meeting.pk).update(agenda_cutoff=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    with pytest.raises(DomainError):
        agenda.agenda_item_propose(meeting=meeting, by=people.focal_a, title="Too late")


def test_agency_staff_and_guests_cannot_propose(people):
    meeting = scheduled_meeting(by=people.chair)
    for person in (people.staff_a, people.guest):
        with pytest.raises(DomainError):
            agenda.agenda_item_propose(meeting=meeting, by=person, title="Not mine to propose")


def test_co_chairs_accept_or_decline_proposals(people):
    meeting = scheduled_meeting(by=people.chair)
    first = agenda.agenda_item_propose(meeting=meeting, by=people.focal_a, title="One")
    second = agenda.agenda_item_propose(meeting=meeting, by=people.focal_b, title="Two")
    assert agenda.agenda_item_accept(item=first, by=people.chair).status == "accepted"
    declined = agenda.agenda_item_decline(item=second, reason="Next time", by=people.chair)
    assert declined.status == "declined"
    assert declined.decline_reason == "Next time"


def test_moving_items_swaps_their_positions(people):
    meeting = MeetingFactory()
    a = agenda.agenda_item_add(meeting=meeting, by=people.chair, title="A")
    b = agenda.agenda_item_add(meeting=meeting, by=people.chair, title="B")
    c = agenda.agenda_item_add(meeting=meeting, by=people.chair, title="C")
    agenda.agenda_item_move(item=c, direction="up", by=people.chair)
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    agenda.agenda_item_move(item=a, direction="up", by=people.chair)  # already first: no change
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    assert b.pk


def test_the_agenda_of_a_held_meeting_is_closed(people):
    meeting = past_meeting()
    with pytest.raises(DomainError):
        agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Late")


def test_open_action_points_are_carried_over_once(people):
    earlier = past_meeting()
    open_action = ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a)
    ActionPointFactory(meeting=earlier, status="done", owner_organisation=people.agency_b)
    meeting = MeetingFactory()
    added = agenda.agenda_carry_over(meeting=meeting, by=people.chair)
    action_items = [item for item in added if item.source == "action_point"]
    assert len(action_items) == 1
    assert action_items[0].source_key == f"action:{open_action.pk}"
    assert action_items[0].presenter_organisation == people.agency_a
    again = agenda.agenda_carry_over(meeting=meeting, by=people.chair)
    assert again == []


def test_the_call_for_items_sets_the_cutoff_and_emails_members(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    mailoutbox.clear()
    cutoff = meeting.starts_at - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        agenda.meeting_call_for_agenda_items(meeting=meeting, cutoff=cutoff, by=people.chair)
    meeting.refresh_from_db()
    assert meeting.agenda_cutoff == cutoff
    assert len(mailoutbox) == 4
    with pytest.raises(DomainError):
        agenda.meeting_call_for_agenda_items(
            meeting=meeting, cutoff=meeting.starts_at + timedelta(hours=1), by=people.chair
        )


def test_circulating_the_agenda_emails_a_pdf(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    with pytest.raises(DomainError):
        agenda.agenda_circulate(meeting=meeting, by=people.chair)
    agenda.agenda_item_add(meeting=meeting, by=people.chair, title="Workplan progress")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agenda.agenda_circulate(meeting=meeting, by=people.chair)
    assert len(mailoutbox) == 4
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert (name, mimetype) == ("agenda.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert "Workplan progress" in mailoutbox[0].body


# --- Participants, answers, attendance -------------------------------------------------------


def test_a_guest_sees_the_meetings_of_their_guest_invitations_only(people):
    meeting = scheduled_meeting(by=people.chair)
    other = scheduled_meeting(by=people.chair)
    participation.participant_add_guest(meeting=meeting, person=people.guest, by=people.chair)
    assert list(Meeting.objects.visible_to(people.guest)) == [meeting]
    assert other not in Meeting.objects.visible_to(people.guest)
    assert not Meeting.objects.visible_to(people.other_guest).exists()
    participant = meeting.participants.get(person=people.guest)
    participation.participant_remove_guest(participant=participant, by=people.chair)
    assert not Meeting.objects.visible_to(people.guest).exists()


def test_drafts_are_visible_to_organisers_only(people):
    draft = MeetingFactory()
    assert draft in Meeting.objects.visible_to(people.chair)
    assert draft in Meeting.objects.visible_to(people.secretariat)
    assert draft not in Meeting.objects.visible_to(people.focal_a)
    assert draft not in Meeting.objects.visible_to(people.staff_a)


def test_rsvp_can_change_until_the_start_and_not_after(people):
    meeting = scheduled_meeting(by=people.chair)
    participation.rsvp_set(
        meeting=meeting, person=people.focal_a, response="attending", by=people.focal_a
    )
    participation.rsvp_set(
        meeting=meeting, person=people.focal_a, response="alternate", by=people.focal_a
    )
    assert meeting.participants.get(person=people.focal_a).response == "alternate"
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(DomainError):
        participation.rsvp_set(
            meeting=meeting, person=people.focal_a, response="not_attending", by=people.focal_a
        )
    assert meeting.participants.get(person=people.focal_a).response == "alternate"


def test_someone_not_invited_cannot_answer(people):
    meeting = scheduled_meeting(by=people.chair)
    with pytest.raises(DomainError):
        participation.rsvp_set(
            meeting=meeting, person=people.staff_a, response="attending", by=people.staff_a
        )


def test_attendance_is_recorded_once_per_person_after_the_start(people):
    future = scheduled_meeting(by=people.chair)
    with pytest.raises(DomainError):
        participation.attendance_record(
            meeting=future, person=people.focal_a, capacity="focal_point", by=people.secretariat
        )
    meeting = past_meeting()
    record = participation.attendance_record(
        meeting=meeting, person=people.focal_a, capacity="focal_point", by=people.secretariat
    )
    assert record.organisation == people.agency_a
    with pytest.raises(DomainError):
        participation.attendance_record(
            meeting=meeting, person=people.focal_a, capacity="focal_point", by=people.secretariat
        )
    guest = participation.attendance_record(
        meeting=meeting,
        name="Dr. Amal Rashid",
        organisation=people.stakeholder,
        capacity="guest_speaker",
        by=people.secretariat,
    )
    assert guest.person is None


# --- Minutes --------------------------------------------------------------------------------


def _held_with_record(people):
    meeting = past_meeting()
    AgendaItemFactory(meeting=meeting, title="Referral pathways", position=1)
    participation.attendance_record(
        meeting=meeting, person=people.focal_a, capacity="focal_point", by=people.secretariat
    )
    actions.action_point_create(
        meeting=meeting,
        description="Share the SOP draft",
        owner_organisation=people.agency_b,
        due_date=date.today() + timedelta(days=7),
        by=people.secretariat,
    )
    return meeting


def test_the_minutes_draft_starts_from_the_record(people):
    meeting = _held_with_record(people)
    draft = minutes.minutes_draft(meeting=meeting, by=people.secretariat)
    assert "AGA" in draft.body
    assert "Referral pathways" in draft.body
    assert "Share the SOP draft" in draft.body
    # Present: AGA. Absent member agencies: the co-chair's agency and AGB.
    absent_line = draft.body.split("absent")[1]
    assert "AGB" in absent_line
    assert people.chair_org.acronym in absent_line


def test_minutes_are_sanitized_on_save(people):
    meeting = _held_with_record(people)
    draft = minutes.minutes_draft(meeting=meeting, by=people.secretariat)
    saved = minutes.minutes_update(
        minutes=draft,
        body=(
            '<h2>Summary</h2><p onclick="alert(1)">Agreed</p><script>alert("x")</script>'
            '<a href="javascript:alert(1)">bad</a><a href="https://example.org">good</a>'
            "<ul><li>one</li></ul><img src=x onerror=alert(1)><style>p{}</style>"
        ),
        by=people.secretariat,
    )
    body = saved.body
    assert "<script" not in body and "alert" not in body
    assert "onclick" not in body and "onerror" not in body and "<img" not in body
    assert "javascript:" not in body and "<style" not in body
    assert "<h2>Summary</h2>" in body
    assert '<a href="https://example.org"' in body
    assert "<ul><li>one</li></ul>" in body


def test_approved_minutes_are_read_only(people):
    meeting = _held_with_record(people)
    draft = minutes.minutes_draft(meeting=meeting, by=people.secretariat)
    with pytest.raises(DomainError):
        minutes.minutes_approve(
            minutes=draft,
            approved_on=timezone.localdate(),
            method="meeting",
            by=people.chair,
        )
    approved = minutes.minutes_approve(
        minutes=draft, approved_on=timezone.localdate(), method="no_objection", by=people.chair
    )
    assert approved.status == "approved"
    with pytest.raises(DomainError):
        minutes.minutes_update(minutes=approved, body="<p>rewrite</p>", by=people.secretariat)
    with pytest.raises(DomainError):
        minutes.minutes_draft(meeting=meeting, by=people.secretariat)


def test_circulating_minutes_opens_comments_until_the_deadline(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _held_with_record(people)
    invite(meeting, people.focal_a, people.agency_a)
    draft = minutes.minutes_draft(meeting=meeting, by=people.secretariat)
    with pytest.raises(DomainError):
        minutes.minutes_comment_add(minutes=draft, body="Too early", by=people.focal_a)
    with django_capture_on_commit_callbacks(execute=True):
        circulated = minutes.minutes_circulate(
            minutes=draft,
            comment_deadline=timezone.localdate() + timedelta(days=5),
            by=people.secretariat,
        )
    assert circulated.status == "circulated"
    assert [m.to for m in mailoutbox] == [[people.focal_a.email]]
    comment = minutes.minutes_comment_add(minutes=circulated, body="Add item 2", by=people.focal_a)
    assert comment.author == people.focal_a
    Minutes.objects.filter(pk=draft.pk).update(
        comment_deadline=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(DomainError):
        minutes.minutes_comment_add(minutes=circulated, body="Late", by=people.focal_a)


# --- Action points -------------------------------------------------------------------------


def test_an_action_point_needs_an_owner(people):
    meeting = past_meeting()
    with pytest.raises(DomainError):
        actions.action_point_create(meeting=meeting, description="Orphan", by=people.secretariat)


def test_closing_an_action_point_records_when(people):
    action = ActionPointFactory(owner_organisation=people.agency_a)
    done = actions.action_point_set_status(action_point=action, status="done", by=people.focal_a)
    assert done.closed_at is not None
    reopened = actions.action_point_set_status(action_point=done, status="open", by=people.chair)
    assert reopened.closed_at is None
    assert ActionPoint.objects.overdue().count() == 0


def test_mine_covers_my_own_and_my_agencys_unassigned_action_points(people):
    mine = ActionPointFactory(owner_organisation=people.agency_b, owner_person=people.focal_a)
    agency = ActionPointFactory(owner_organisation=people.agency_a)
    ActionPointFactory(owner_organisation=people.agency_a, owner_person=people.staff_a)
    ActionPointFactory(owner_organisation=people.agency_b)
    assert set(ActionPoint.objects.owned_by(people.focal_a)) == {mine, agency}


def test_participants_are_not_duplicated_when_scheduling_after_inviting_a_guest(people):
    meeting = MeetingFactory()
    participation.participant_add_guest(meeting=meeting, person=people.guest, by=people.chair)
    meeting_services.meeting_schedule(meeting=meeting, by=people.chair)
    assert meeting.participants.count() == 5
    assert meeting.participants.filter(kind=Participant.Kind.GUEST).count() == 1
    assert AgendaItem.objects.count() == 0


def test_scheduling_carries_open_action_points_into_the_agenda(people):
    earlier = past_meeting()
    ActionPointFactory(meeting=earlier, owner_organisation=people.agency_a, description="Map")
    meeting = scheduled_meeting(by=people.chair)
    carried = meeting.agenda_items.get(source="action_point")
    assert "Map" in carried.title
    assert carried.status == "accepted"


def test_a_guests_access_and_invitations_never_disagree(people):
    """The guest invitation (Participant row) is the access: one record, nothing to drift."""

    def agree():
        invited = set(
            Participant.objects.filter(person=people.guest, kind="guest").values_list(
                "meeting_id", flat=True
            )
        )
        visible = set(Meeting.objects.visible_to(people.guest).values_list("pk", flat=True))
        assert visible == invited

    first = scheduled_meeting(by=people.chair)
    second = scheduled_meeting(by=people.chair)
    agree()
    participation.participant_add_guest(meeting=first, person=people.guest, by=people.chair)
    agree()
    participation.participant_add_guest(meeting=second, person=people.guest, by=people.chair)
    agree()
    participation.participant_remove_guest(
        participant=first.participants.get(person=people.guest), by=people.chair
    )
    agree()
    # A row removed behind the services' back (the admin, a cascade) takes the access with it.
    Participant.objects.filter(meeting=second, person=people.guest).delete()
    agree()
    assert not Meeting.objects.visible_to(people.guest).exists()

"""Invitations, RSVP tables and pick-lists follow appointments as they start and end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from meetings import forms, selectors
from meetings.services import participation
from members import services as member_services
from members.models import Appointment
from members.roles import Role
from tests.factories import UserFactory, past_meeting, scheduled_meeting

pytestmark = pytest.mark.django_db


def _text(content):
    return content.decode() if isinstance(content, bytes) else content


@pytest.fixture
def rco(network):
    return UserFactory(email="rco@example.org", roles=[Role.RCO_ADMIN])


def _appointment(person):
    return Appointment.objects.active().get(person=person)


def test_a_new_focal_point_is_invited_to_every_scheduled_meeting_with_an_ics(
    people, rco, mailoutbox, django_capture_on_commit_callbacks
):
    first = scheduled_meeting(by=people.chair)
    second = scheduled_meeting(
        by=people.chair,
        starts_at=first.starts_at + timedelta(days=30),
        ends_at=first.ends_at + timedelta(days=30),
    )
    held = past_meeting()
    successor = UserFactory(email="new.focal.b@example.org", organisation=people.agency_b)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.appointment_replace(
            organisation=people.agency_b, person=successor, kind="focal_point", level="", by=rco
        )
    for meeting in (first, second):
        assert meeting.participants.filter(person=successor, kind="member").exists()
        assert not meeting.participants.filter(person=people.focal_b).exists()
    assert not held.participants.filter(person=successor).exists()
    to_successor = [m for m in mailoutbox if m.to == [successor.email]]
    assert len(to_successor) == 2
    assert all("METHOD:REQUEST" in _text(m.attachments[0][1]) for m in to_successor)
    assert all(successor.email in _text(m.attachments[0][1]) for m in to_successor)


def test_the_leaver_gets_a_cancellation_and_leaves_the_rsvp_table(
    people, rco, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    participation.rsvp_set(
        meeting=meeting, person=people.focal_b, response="attending", by=people.focal_b
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.appointment_end(appointment=_appointment(people.focal_b), by=rco)
    rows = selectors.rsvp_table(meeting)["rows"]
    listed = {p.person_id for row in rows for p in row["participants"]}
    assert people.focal_b.pk not in listed
    [cancellation] = [m for m in mailoutbox if m.to == [people.focal_b.email]]
    ics = _text(cancellation.attachments[0][1])
    assert "METHOD:CANCEL" in ics
    assert "STATUS:CANCELLED" in ics and "CONFIRMED" not in ics
    assert people.focal_b.email in ics
    assert "method=CANCEL" in cancellation.attachments[0][2]


def test_an_alternate_who_becomes_focal_point_stays_invited_with_the_answer_given(
    people, rco, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(by=people.chair)
    participation.rsvp_set(
        meeting=meeting, person=people.alternate_a, response="attending", by=people.alternate_a
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.appointment_replace(
            organisation=people.agency_a,
            person=people.alternate_a,
            kind="focal_point",
            level="",
            by=rco,
        )
    participant = meeting.participants.get(person=people.alternate_a)
    assert participant.response == "attending"
    assert participant.role_note == "Focal point"
    assert not meeting.participants.filter(person=people.focal_a).exists()
    assert [m.to for m in mailoutbox] == [[people.focal_a.email]]


def test_invitation_acceptance_invites_the_new_focal_point(
    people, rco, django_capture_on_commit_callbacks
):
    from tests.factories import InvitationFactory

    meeting = scheduled_meeting(by=people.chair)
    invitation = InvitationFactory(
        email="successor@example.org",
        organisation=people.agency_b,
        role="focal_point",
        replace_existing=True,
        invited_by=rco,
    )
    with django_capture_on_commit_callbacks(execute=True):
        successor = member_services.invitation_accept(
            token=invitation.token, full_name="Sam Successor", password="Correct-Horse-Battery-9"
        )
    assert meeting.participants.filter(person=successor).exists()
    assert not meeting.participants.filter(person=people.focal_b).exists()


def test_ending_an_agencys_membership_uninvites_its_representatives(people, rco):
    meeting = scheduled_meeting(by=people.chair)
    member_services.membership_change(organisation=people.agency_a, roles=[], by=rco)
    assert not meeting.participants.filter(organisation=people.agency_a).exists()
    # Guests are invited one by one and stay invited.
    assert meeting.participants.filter(person=people.chair).exists()


def test_an_agency_that_joins_brings_its_focal_point_to_the_scheduled_meetings(people, rco):
    meeting = scheduled_meeting(by=people.chair)
    member_services.membership_change(organisation=people.agency_a, roles=[], by=rco)
    member_services.membership_change(organisation=people.agency_a, roles=["member"], by=rco)
    # The appointments ended with the membership: nobody is seated again by joining.
    assert not meeting.participants.filter(organisation=people.agency_a).exists()
    newcomer = UserFactory(organisation=people.agency_a)
    member_services.appointment_create(
        organisation=people.agency_a, person=newcomer, kind="focal_point", level="", by=rco
    )
    assert meeting.participants.filter(person=newcomer).exists()


def test_a_failed_appointment_change_leaves_the_invitations_as_they_were(people, rco):
    meeting = scheduled_meeting(by=people.chair)
    before = set(meeting.participants.values_list("person_id", flat=True))
    outsider = UserFactory(organisation=people.stakeholder)
    with pytest.raises(DomainError):
        member_services.appointment_replace(
            organisation=people.agency_b, person=outsider, kind="focal_point", level="", by=rco
        )
    assert set(meeting.participants.values_list("person_id", flat=True)) == before


def test_pick_lists_offer_only_people_who_hold_a_relevant_role(people, rco, network):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    replaced = people.focal_b
    member_services.appointment_end(appointment=_appointment(replaced), by=rco)
    meeting = scheduled_meeting(by=people.chair)
    presenter = set(forms.AgendaItemForm().fields["presenter_person"].queryset)
    attendee = set(forms.AttendanceForm().fields["person"].queryset)
    owner = set(forms.ActionPointForm().fields["owner_person"].queryset)
    guest = set(forms.GuestForm(meeting=meeting).fields["person"].queryset)
    for offered in (presenter, attendee, owner, guest):
        assert admin not in offered
        assert replaced not in offered
    assert {people.focal_a, people.staff_a, people.secretariat} <= owner
    assert people.guest not in owner
    assert people.guest in presenter and people.guest in attendee
    assert guest == {people.guest, people.other_guest}


def test_attendance_refuses_a_person_under_another_organisation(people):
    meeting = past_meeting(status="scheduled")
    with pytest.raises(DomainError, match="belongs to"):
        participation.attendance_record(
            meeting=meeting,
            person=people.focal_a,
            organisation=people.agency_b,
            capacity="focal_point",
            by=people.chair,
        )
    assert not meeting.attendance.exists()
    participation.attendance_record(
        meeting=meeting,
        person=people.focal_a,
        organisation=people.agency_a,
        capacity="focal_point",
        by=people.chair,
    )
    assert meeting.attendance.get().organisation == people.agency_a


def test_attendance_refuses_a_person_who_holds_no_role(people, rco):
    meeting = past_meeting(status="scheduled")
    member_services.appointment_end(appointment=_appointment(people.focal_b), by=rco)
    with pytest.raises(DomainError, match="no role"):
        participation.attendance_record(
            meeting=meeting, person=people.focal_b, capacity="focal_point", by=people.chair
        )


def test_reminders_go_to_the_current_representatives_only(
    people, rco, network, mailoutbox, django_capture_on_commit_callbacks
):
    from meetings.services import reminders

    meeting = scheduled_meeting(by=people.chair)
    successor = UserFactory(organisation=people.agency_b)
    member_services.appointment_replace(
        organisation=people.agency_b, person=successor, kind="focal_point", level="", by=rco
    )
    mailoutbox.clear()
    days = timezone.localtime(meeting.starts_at, network.tzinfo).date() - timedelta(days=7)
    now = timezone.make_aware(
        timezone.datetime.combine(days, timezone.datetime.min.time()).replace(hour=9),
        network.tzinfo,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_meeting_reminders(now=now)
    recipients = {m.to[0] for m in mailoutbox}
    assert successor.email in recipients
    assert people.focal_b.email not in recipients

"""Invitations that follow appointments: a new focal point is invited, one who left is not."""

from django.db import transaction
from django.utils import timezone

from core import audit

from .. import notifications
from ..models import Meeting, Participant
from .meetings import member_representatives


def participants_follow_appointments(*, organisation_id, started, ended):
    """Bring every scheduled meeting that has not started in step with the appointments.

    Called (through core.registry.membership_hooks) inside the transaction that started or ended
    the appointments. A person who now speaks for a member agency becomes a participant, with the
    invitation and its .ics; one who no longer does is removed, with a METHOD:CANCEL, so the RSVP
    table lists only the agency's current representatives. Held, cancelled and started meetings
    keep their record as it was.
    """
    people = set(started) | set(ended)
    if not people:
        return
    with transaction.atomic():
        # Locked like meeting_schedule locks them: a meeting being scheduled right now either
        # sees the new appointment or is seen here, never neither.
        meetings = list(
            Meeting.objects.select_for_update()
            .filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
            .order_by("starts_at")
        )
        if not meetings:
            return
        seated = {
            appointment.person_id: appointment
            for appointment in member_representatives().filter(person_id__in=people)
        }
        leavers = people - set(seated)
        for meeting in meetings:
            _follow(meeting, seated, leavers, organisation_id)


def _follow(meeting, seated, leavers, organisation_id):
    current = {
        participant.person_id: participant
        for participant in meeting.participants.select_related("person").filter(
            person_id__in=set(seated) | leavers
        )
    }
    gone = [
        participant
        for person_id, participant in current.items()
        if person_id in leavers and participant.kind == Participant.Kind.MEMBER
    ]
    for participant in gone:
        participant.delete()
        audit.record(
            "meetings.participant.removed",
            actor=None,
            obj=meeting,
            person=participant.person_id,
            organisation=organisation_id,
            reason="appointment_ended",
        )
    newcomers = []
    for person_id, appointment in seated.items():
        participant = current.get(person_id)
        if participant is None:
            Participant.objects.create(
                meeting=meeting,
                person=appointment.person,
                organisation=appointment.organisation,
                kind=Participant.Kind.MEMBER,
                role_note=appointment.get_kind_display(),
            )
            newcomers.append(appointment.person)
            audit.record(
                "meetings.participant.added",
                actor=None,
                obj=meeting,
                person=person_id,
                organisation=appointment.organisation_id,
                reason="appointment_started",
            )
        elif participant.kind == Participant.Kind.MEMBER:
            # Same person, another seat (an alternate who became focal point): keep the answer.
            participant.organisation = appointment.organisation
            participant.role_note = appointment.get_kind_display()
            participant.save(update_fields=["organisation", "role_note", "updated_at"])
    if gone:
        notifications.send_meeting_withdrawal(meeting, [p.person for p in gone])
    if newcomers:
        notifications.send_meeting_invitation(meeting, newcomers)

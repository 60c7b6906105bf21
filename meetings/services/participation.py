"""Guests, answers (RSVP), attendance and private calendar feeds."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from members.models import Appointment
from members.selectors import person_holds_role

from .. import notifications, rules
from ..models import Attendance, CalendarToken, Meeting, Participant
from ..selectors import ATTENDEE_ROLES


def participant_add_guest(*, meeting, person, organisation=None, role_note="", by):
    """Invite a guest speaker or stakeholder to one meeting: they see this meeting only."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED):
            raise DomainError(_("Guests can be invited only to a draft or scheduled meeting."))
        if meeting.participants.filter(person=person).exists():
            raise DomainError(_("%(person)s is already invited.") % {"person": person})
        participant = Participant.objects.create(
            meeting=meeting,
            person=person,
            organisation=organisation or person.organisation,
            kind=Participant.Kind.GUEST,
            role_note=role_note,
        )
        # This row is the guest's access to the meeting (MeetingQuerySet.visible_to): a guest
        # holds no network-wide capability (members.roles), and no grant is stored elsewhere.
        audit.record("meetings.guest.invited", actor=by, obj=meeting, person=person.pk)
        if meeting.status == Meeting.Status.SCHEDULED:
            notifications.send_meeting_invitation(meeting, [person])
    return participant


def participant_remove_guest(*, participant, by):
    with transaction.atomic():
        meeting = participant.meeting
        if participant.kind != Participant.Kind.GUEST:
            raise DomainError(_("Only guests can be removed; member agencies are always invited."))
        audit.record("meetings.guest.removed", actor=by, obj=meeting, person=participant.person_id)
        participant.delete()


def rsvp_set(*, meeting, person, response, by):
    """A participant's answer; it can change until the meeting starts."""
    if response not in {choice for choice in Participant.Response.values if choice}:
        raise DomainError(_("Choose attending, not attending or alternate attends."))
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .filter(meeting=meeting, person=person)
            .order_by()
            .first()
        )
        if participant is None:
            raise DomainError(_("You are not invited to this meeting."))
        if (
            participant.kind == Participant.Kind.GUEST
            and response == Participant.Response.ALTERNATE
        ):
            # An alternate stands in for a member agency's focal point; guests have none.
            raise DomainError(_("Guests answer attending or not attending."))
        if not rules.rsvp_is_open(
            starts_at=participant.meeting.starts_at,
            now=timezone.now(),
            status=participant.meeting.status,
        ):
            raise DomainError(_("Answers are closed: the meeting has started or is not scheduled."))
        previous = participant.response
        participant.response = response
        participant.responded_at = timezone.now()
        participant.save(update_fields=["response", "responded_at", "updated_at"])
        audit.record(
            "meetings.rsvp.changed" if previous else "meetings.rsvp.given",
            actor=by,
            obj=participant.meeting,
            response=response,
            previous=previous,
        )
        if response == Participant.Response.ALTERNATE and previous != response:
            # The alternate is the one who has to turn up: tell them, not only the focal point.
            alternates = [
                appointment.person
                for appointment in Appointment.objects.active()
                .filter(
                    organisation_id=participant.organisation_id,
                    kind=Appointment.Kind.ALTERNATE,
                    person__is_active=True,
                )
                .exclude(person=person)
                .select_related("person")
            ]
            notifications.send_alternate_attends(
                participant.meeting,
                alternates,
                organisation=participant.organisation,
                answered_by=person,
            )
    return participant


def check_attendee(person, organisation):
    """A person is recorded under their own organisation, and only while they hold a role."""
    if organisation is not None and person.organisation_id not in (None, organisation.pk):
        raise DomainError(
            _("%(person)s belongs to %(other)s, not to %(organisation)s.")
            % {"person": person, "other": person.organisation, "organisation": organisation}
        )
    if not person_holds_role(person, ATTENDEE_ROLES):
        raise DomainError(
            _("%(person)s holds no role in the network; record them by name instead.")
            % {"person": person}
        )


def attendance_record(*, meeting, capacity, by, person=None, name="", organisation=None):
    """Record one person present at the meeting (after it has started)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED or meeting.starts_at > timezone.now():
            raise DomainError(_("Attendance is recorded once the meeting has started."))
        if person is not None:
            check_attendee(person, organisation)
            name = name or person.get_full_name()
            organisation = organisation or person.organisation
        name = (name or "").strip()
        if not name:
            raise DomainError(_("Choose a person or enter a name."))
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    meeting=meeting,
                    person=person,
                    name=name,
                    organisation=organisation,
                    capacity=capacity,
                    recorded_by=by,
                )
        except IntegrityError:
            raise DomainError(
                _("%(name)s is already recorded as present.") % {"name": name}
            ) from None
        audit.record("meetings.attendance.recorded", actor=by, obj=meeting, name=name)
    return attendance


def attendance_remove(*, attendance, by):
    with transaction.atomic():
        if hasattr(attendance.meeting, "minutes") and attendance.meeting.minutes.is_approved:
            raise DomainError(_("The minutes are approved: attendance can no longer change."))
        audit.record(
            "meetings.attendance.removed", actor=by, obj=attendance.meeting, name=attendance.name
        )
        attendance.delete()


def hash_feed_token(token):
    """The digest stored for a feed token (the token itself is never stored)."""
    return hashlib.sha256((token or "").encode()).hexdigest()


def calendar_token_for(person):
    """The person's active feed token, created on first use.

    Only a token created by this call carries its secret (`.token`); an existing one has only
    its digest, and its address cannot be shown again.
    """
    token = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).first()
    if token is None:
        token = calendar_token_rotate(person=person, by=person)
    return token


def calendar_token_lookup(token):
    """The active feed token with this secret, or None."""
    return (
        CalendarToken.objects.filter(token_hash=hash_feed_token(token), revoked_at__isnull=True)
        .select_related("person")
        .first()
    )


def calendar_token_revoke(*, person, by):
    """The old feed URL stops working at once."""
    with transaction.atomic():
        revoked = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit.record("meetings.calendar_feed.revoked", actor=by, obj=person)
    return revoked


def calendar_token_rotate(*, person, by):
    """Revoke the current feed URL and issue a new one."""
    with transaction.atomic():
        # Lock the person so two rotations at once cannot both leave an active token.
        get_user_model().objects.select_for_update().filter(pk=person.pk).first()
        calendar_token_revoke(person=person, by=by)
        secret = secrets.token_urlsafe(32)
        token = CalendarToken.objects.create(person=person, token_hash=hash_feed_token(secret))
        audit.record("meetings.calendar_feed.issued", actor=by, obj=person)
    token.token = secret  # shown to the person once; only the digest is kept
    return token

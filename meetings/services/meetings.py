"""The life of a meeting: create, generate the year, schedule, change, cancel, hold."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.models import Network
from core.validators import require_single_line
from members.models import Appointment, Membership
from members.roles import Role

from .. import generated, notifications, rules
from ..models import Meeting, Participant

# Changing one of these on a scheduled meeting sends an update with a higher SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "kind")


def _check_times(starts_at, ends_at):
    if ends_at <= starts_at:
        raise DomainError(_("A meeting must end after it starts."))


def meeting_create(*, title, kind, starts_at, ends_at, place="", online_link="", by):
    """A new meeting in draft."""
    require_single_line(title, place)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            online_link=online_link,
            created_by=by,
        )
        audit.record("meetings.meeting.created", actor=by, obj=meeting)
    return meeting


def meeting_generate_year(
    *,
    year,
    first_month,
    weekday,
    week,
    start_time,
    duration_minutes,
    place="",
    online_link="",
    by,
):
    """The year's regular bi-monthly meetings from `first_month`, as drafts to adjust and schedule.

    Only meetings still ahead are generated: a past year, or a first month already gone, would
    make drafts that can never be scheduled.
    """
    require_single_line(place)
    tzinfo = Network.objects.get_current().tzinfo
    now = timezone.now()
    this_year = timezone.localtime(now, tzinfo).year
    if year < this_year:
        raise DomainError(
            _("%(year)s is over: generate this year's or a later year's meetings.") % {"year": year}
        )
    slots = rules.regular_schedule(
        year=year,
        first_month=first_month,
        weekday=weekday,
        week=week,
        start_time=start_time,
        duration_minutes=duration_minutes,
        tzinfo=tzinfo,
    )
    if slots and slots[0][0] <= now:
        ahead = [starts for starts, _ends in slots if starts > now]
        if not ahead:
            raise DomainError(
                _("No regular meeting is left in %(year)s from that month: generate next year's.")
                % {"year": year}
            )
        raise DomainError(
            _("The meeting of %(month)s would be in the past. Start from %(next)s.")
            % {
                "month": date_format(slots[0][0].date(), "F Y"),
                "next": date_format(ahead[0].date(), "F"),
            }
        )
    with transaction.atomic():
        taken = []
        for starts, _ends in slots:
            clash = (
                Meeting.objects.filter(kind=Meeting.Kind.REGULAR)
                .exclude(status=Meeting.Status.CANCELLED)
                .filter(
                    starts_at__year=starts.year,
                    starts_at__month=starts.month,
                )
            )
            if clash.exists():
                taken.append(date_format(starts.date(), "F Y"))
        if taken:
            raise DomainError(
                _("There is already a regular meeting in %(months)s.")
                % {"months": ", ".join(taken)}
            )
        meetings = []
        for starts, ends in slots:
            params = generated.regular_meeting_params(timezone.localtime(starts, tzinfo))
            # Shown in each reader's language; stored in the default one for search and admin.
            with translation.override(settings.LANGUAGE_CODE):
                title = generated.regular_meeting_title(params)
            meetings.append(
                Meeting.objects.create(
                    title=title,
                    generated_kind=generated.REGULAR_MEETING,
                    generated_params=params,
                    kind=Meeting.Kind.REGULAR,
                    starts_at=starts,
                    ends_at=ends,
                    place=place,
                    online_link=online_link,
                    created_by=by,
                )
            )
        audit.record(
            "meetings.schedule.generated",
            actor=by,
            year=year,
            meetings=[meeting.pk for meeting in meetings],
        )
    return meetings


def meeting_update(*, meeting, by, **changes):
    """Change a draft or scheduled meeting; a scheduled one sends participants an update."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    require_single_line(changes.get("title", ""), changes.get("place", ""))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED):
            raise DomainError(_("A held or cancelled meeting can no longer be changed."))
        changed = [field for field, value in changes.items() if getattr(meeting, field) != value]
        if not changed:
            return meeting
        for field in changed:
            setattr(meeting, field, changes[field])
        if "title" in changed:
            # Retitled by a person: their words, shown as written from now on.
            meeting.generated_kind, meeting.generated_params = "", {}
        _check_times(meeting.starts_at, meeting.ends_at)
        notify = meeting.status == Meeting.Status.SCHEDULED and any(
            field in CALENDAR_FIELDS for field in changed
        )
        if notify:
            meeting.sequence += 1
        meeting.save()
        audit.record("meetings.meeting.changed", actor=by, obj=meeting, fields=changed)
        if notify:
            notifications.send_meeting_invitation(
                meeting, _people(meeting.participants.all()), update=True
            )
    return meeting


def _people(participants):
    return [participant.person for participant in participants.select_related("person")]


def member_representatives():
    """Active focal points and alternates of the network's member agencies, with their agency."""
    member_roles = (Membership.Role.MEMBER, Membership.Role.CO_CHAIR)
    return (
        Appointment.objects.active()
        .filter(
            organisation__memberships__role__in=member_roles,
            organisation__memberships__left_on__isnull=True,
            person__is_active=True,
        )
        .select_related("person", "organisation")
        .distinct()
    )


def organisers():
    """Who runs meetings: the co-chairing agencies' focal points and alternates, the secretariat."""
    co_chairs = Appointment.objects.active().filter(
        organisation__memberships__role=Membership.Role.CO_CHAIR,
        organisation__memberships__left_on__isnull=True,
        person__is_active=True,
    )
    people = {appointment.person for appointment in co_chairs.select_related("person")}
    people.update(
        get_user_model().objects.filter(is_active=True, groups__name=Role.SECRETARIAT.value)
    )
    return sorted(people, key=lambda person: person.pk)


def invite_members(meeting):
    """Participants for every member agency's focal point and alternate; returns the new ones."""
    existing = set(meeting.participants.values_list("person_id", flat=True))
    new = []
    for appointment in member_representatives():
        if appointment.person_id in existing:
            continue
        existing.add(appointment.person_id)
        new.append(
            Participant(
                meeting=meeting,
                person=appointment.person,
                organisation=appointment.organisation,
                kind=Participant.Kind.MEMBER,
                role_note=appointment.get_kind_display(),
            )
        )
    Participant.objects.bulk_create(new)
    return new


def meeting_schedule(*, meeting, by):
    """Draft → scheduled: members invited (.ics), open items carried into the agenda."""
    from .agenda import agenda_carry_over

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.DRAFT:
            raise DomainError(_("Only a draft meeting can be scheduled."))
        if meeting.starts_at <= timezone.now():
            raise DomainError(
                _(
                    "A meeting in the past cannot be scheduled: change its date, record it as "
                    "held, or delete the draft."
                )
            )
        meeting.status = Meeting.Status.SCHEDULED
        meeting.save(update_fields=["status", "updated_at"])
        invite_members(meeting)
        # Open action points and pending decisions go on the agenda without anyone asking.
        agenda_carry_over(meeting=meeting, by=by)
        audit.record("meetings.meeting.scheduled", actor=by, obj=meeting)
        notifications.send_meeting_invitation(meeting, _people(meeting.participants.all()))
    return meeting


def meeting_cancel(*, meeting, reason, by):
    """Draft or scheduled → cancelled, with a reason; participants get a METHOD:CANCEL."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling the meeting."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED):
            raise DomainError(_("Only a draft or scheduled meeting can be cancelled."))
        was_scheduled = meeting.status == Meeting.Status.SCHEDULED
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancellation_reason = reason
        meeting.sequence += 1
        meeting.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
        audit.record("meetings.meeting.cancelled", actor=by, obj=meeting, reason=reason)
        if was_scheduled:
            notifications.send_meeting_invitation(meeting, _people(meeting.participants.all()))
    return meeting


def meeting_mark_held(*, meeting, by):
    """Scheduled → held once it has started; a draft whose date has passed → held as well.

    The second case is a meeting recorded afterwards (it took place before anyone entered it in
    the portal): it keeps its real date, member representatives are listed as its participants
    so attendance can be taken, and nobody is emailed about a meeting that is over.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED):
            raise DomainError(_("Only a draft or scheduled meeting can be marked as held."))
        if meeting.starts_at > timezone.now():
            raise DomainError(_("The meeting has not started yet."))
        recorded_afterwards = meeting.status == Meeting.Status.DRAFT
        if recorded_afterwards:
            invite_members(meeting)
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        audit.record(
            "meetings.meeting.held", actor=by, obj=meeting, recorded_afterwards=recorded_afterwards
        )
    return meeting


def meeting_delete(*, meeting, by):
    """Delete a draft: nobody was invited to it, so nothing else refers to it yet."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.DRAFT:
            raise DomainError(_("Only a draft can be deleted; cancel a scheduled meeting instead."))
        if meeting.documents.exists():
            raise DomainError(_("Delete the meeting's documents first."))
        audit.record(
            "meetings.meeting.deleted",
            actor=by,
            obj=meeting,
            title=meeting.title,
            starts_at=meeting.starts_at,
        )
        try:
            # In a savepoint: the error leaves the outer transaction usable for the message.
            # (A guest's access is their participant row, which goes with the meeting.)
            with transaction.atomic():
                meeting.delete()
        except ProtectedError as error:
            # Action points or decisions (other modules) refer to it: they are kept, so is it.
            raise DomainError(
                _("Action points or decisions refer to this meeting; it cannot be deleted.")
            ) from error


def people_to_notify(meeting):
    """Who receives the meeting's circulars: its participants, else the member representatives."""
    people = _people(meeting.participants.all())
    if people:
        return people
    seen, result = set(), []
    for appointment in member_representatives():
        if appointment.person_id not in seen:
            seen.add(appointment.person_id)
            result.append(appointment.person)
    return result

"""The meeting day: attendance of every invited person and the notes per agenda item, each
saved in one go."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError

from ..models import AgendaItem, Attendance, Meeting, Minutes
from ..permissions import can_manage_meetings
from .participation import check_attendee


def _lock_for_the_record(meeting, by, *, started=True):
    if not can_manage_meetings(by):
        raise DomainError(_("Only the co-chairs and the secretariat record a meeting."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.HELD):
        raise DomainError(_("Only a scheduled or held meeting can be recorded."))
    if started and meeting.starts_at > timezone.now():
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    if Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).exists():
        raise DomainError(_("The minutes are approved: the record can no longer change."))
    return meeting


def attendance_save(*, meeting, entries, by):
    """Set who was present among the meeting's participants, all at once.

    `entries` are dicts with `participant` (a Participant of this meeting), `present` (bool) and
    `capacity`. Present people not yet recorded are added, absent ones removed; attendance
    recorded by name (people without an account) is left as it is.
    """
    capacities = set(Attendance.Capacity.values)
    with transaction.atomic():
        meeting = _lock_for_the_record(meeting, by)
        recorded = {
            attendance.person_id: attendance
            for attendance in meeting.attendance.filter(person__isnull=False)
        }
        added, removed, changed = [], [], []
        for entry in entries:
            participant = entry["participant"]
            if participant.meeting_id != meeting.pk:
                raise DomainError(_("This person is not invited to this meeting."))
            person = participant.person
            current = recorded.get(person.pk)
            if not entry["present"]:
                if current is not None:
                    current.delete()
                    removed.append(person.pk)
                continue
            capacity = entry["capacity"]
            if capacity not in capacities:
                raise DomainError(
                    _("Choose the capacity in which %(person)s attended.") % {"person": person}
                )
            if current is not None:
                if current.capacity != capacity:
                    current.capacity = capacity
                    current.recorded_by = by
                    current.save(update_fields=["capacity", "recorded_by", "updated_at"])
                    changed.append(person.pk)
                continue
            organisation = participant.organisation
            check_attendee(person, organisation)
            Attendance.objects.create(
                meeting=meeting,
                person=person,
                name=person.get_full_name(),
                organisation=organisation or person.organisation,
                capacity=capacity,
                recorded_by=by,
            )
            added.append(person.pk)
        if added or removed or changed:
            audit.record(
                "meetings.attendance.saved",
                actor=by,
                obj=meeting,
                added=added,
                removed=removed,
                changed=changed,
            )
    return {"added": len(added), "removed": len(removed), "changed": len(changed)}


def agenda_notes_save(*, meeting, notes, by):
    """Keep the notes taken per agenda item (`notes`: {item pk: text}); the minutes start there."""
    with transaction.atomic():
        meeting = _lock_for_the_record(meeting, by, started=False)
        items = {
            item.pk: item
            for item in meeting.agenda_items.select_for_update().filter(
                status=AgendaItem.Status.ACCEPTED, pk__in=list(notes)
            )
        }
        if set(notes) - set(items):
            raise DomainError(_("Notes are taken only on the items of this meeting's agenda."))
        changed = []
        for pk, text in notes.items():
            text = (text or "").strip()
            if len(text) > AgendaItem._meta.get_field("notes").max_length:
                raise DomainError(
                    _("The notes on “%(title)s” are too long.") % {"title": items[pk].display_title}
                )
            if items[pk].notes != text:
                items[pk].notes = text
                items[pk].save(update_fields=["notes", "updated_at"])
                changed.append(pk)
        if changed:
            audit.record("meetings.agenda_notes.saved", actor=by, obj=meeting, items=changed)
    return changed

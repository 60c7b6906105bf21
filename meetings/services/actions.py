"""Action points agreed at meetings."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError

from ..models import ActionPoint, Meeting

FIELDS = ("description", "owner_organisation", "owner_person", "due_date")


def _check_owner(owner_organisation, owner_person):
    if owner_organisation is None and owner_person is None:
        raise DomainError(_("Give the action point an owner: an organisation or a person."))


def action_point_create(
    *, meeting, description, by, owner_organisation=None, owner_person=None, due_date=None
):
    _check_owner(owner_organisation, owner_person)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise DomainError(_("A cancelled meeting has no action points."))
        # Action points are agreed at the meeting: like attendance, not before it starts.
        if meeting.starts_at > timezone.now():
            raise DomainError(_("Action points are recorded once the meeting has started."))
        action = ActionPoint.objects.create(
            meeting=meeting,
            description=description.strip(),
            owner_organisation=owner_organisation,
            owner_person=owner_person,
            due_date=due_date,
            created_by=by,
        )
        audit.record("meetings.action_point.created", actor=by, obj=action, meeting=meeting.pk)
    return action


def action_point_update(*, action_point, by, **changes):
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        action = ActionPoint.objects.select_for_update().get(pk=action_point.pk)
        for field, value in changes.items():
            setattr(action, field, value)
        _check_owner(action.owner_organisation, action.owner_person)
        action.save()
        audit.record("meetings.action_point.changed", actor=by, obj=action, fields=sorted(changes))
    return action


def action_point_set_status(*, action_point, status, by):
    if status not in ActionPoint.Status.values:
        raise DomainError(_("Unknown status."))
    with transaction.atomic():
        action = ActionPoint.objects.select_for_update().get(pk=action_point.pk)
        if action.status == status:
            return action
        previous = action.status
        action.status = status
        action.closed_at = None if status == ActionPoint.Status.OPEN else timezone.now()
        action.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(
            "meetings.action_point.status_changed",
            actor=by,
            obj=action,
            status=status,
            previous=previous,
        )
    return action

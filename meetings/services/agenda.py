"""The agenda: calls for items, proposals, acceptance, order, carry-over and circulation."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import audit
from core.errors import DomainError
from core.models import Network
from core.registry import meeting_hooks, render_generated
from members.roles import represented_organisation_ids

from .. import generated, notifications
from ..models import ActionPoint, AgendaItem, Meeting
from ..permissions import can_propose_agenda_item
from .meetings import organisers

logger = logging.getLogger(__name__)

ITEM_FIELDS = (
    "title",
    "description",
    "presenter_person",
    "presenter_organisation",
    "guest_speaker",
    "minutes_allotted",
    "tor_objective",
)
OPEN_STATUSES = (Meeting.Status.DRAFT, Meeting.Status.SCHEDULED)


def _lock_open_meeting(meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in OPEN_STATUSES:
        raise DomainError(_("The agenda of a held or cancelled meeting can no longer be changed."))
    return meeting


def _next_position(meeting):
    current = meeting.agenda_items.aggregate(last=Max("position"))["last"]
    return (current or 0) + 1


def _create_item(meeting, *, status, by, source=AgendaItem.Source.MANUAL, **fields):
    item = AgendaItem(meeting=meeting, position=_next_position(meeting), status=status, **fields)
    if source != AgendaItem.Source.MANUAL:
        item.source = source
    item.proposed_by = by
    item.full_clean(exclude=["meeting", "proposed_by"])
    item.save()
    return item


def agenda_item_add(*, meeting, by, **fields):
    """A co-chair or the secretariat adds an item directly to the agenda."""
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting)
        item = _create_item(meeting, status=AgendaItem.Status.ACCEPTED, by=by, **fields)
        audit.record("meetings.agenda_item.added", actor=by, obj=item, meeting=meeting.pk)
    return item


def agenda_item_propose(*, meeting, by, **fields):
    """A focal point proposes an item before the cut-off; the co-chairs accept it or not."""
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting)
        if not can_propose_agenda_item(by, meeting):
            raise DomainError(_("Proposals for this agenda are closed."))
        organisations = sorted(represented_organisation_ids(by))
        item = _create_item(
            meeting,
            status=AgendaItem.Status.PROPOSED,
            by=by,
            proposing_organisation_id=organisations[0] if organisations else None,
            **fields,
        )
        audit.record("meetings.agenda_item.proposed", actor=by, obj=item, meeting=meeting.pk)
        notifications.send_agenda_item_proposed(
            item, [person for person in organisers() if person.pk != by.pk]
        )
    return item


def agenda_item_update(*, item, by, **changes):
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        _lock_open_meeting(item.meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        for field, value in changes.items():
            setattr(item, field, value)
        item.full_clean(exclude=["meeting", "proposed_by"])
        item.save()
        audit.record("meetings.agenda_item.changed", actor=by, obj=item, fields=sorted(changes))
    return item


def agenda_item_accept(*, item, by):
    with transaction.atomic():
        _lock_open_meeting(item.meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.status == AgendaItem.Status.ACCEPTED:
            return item
        was_proposed = item.status == AgendaItem.Status.PROPOSED
        item.status = AgendaItem.Status.ACCEPTED
        item.decline_reason = ""
        item.save(update_fields=["status", "decline_reason", "updated_at"])
        audit.record("meetings.agenda_item.accepted", actor=by, obj=item)
        if was_proposed and item.proposed_by_id != by.pk:
            notifications.send_agenda_item_decided(item)
    return item


def agenda_item_decline(*, item, reason="", by):
    with transaction.atomic():
        _lock_open_meeting(item.meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        was_proposed = item.status == AgendaItem.Status.PROPOSED
        item.status = AgendaItem.Status.DECLINED
        item.decline_reason = (reason or "").strip()[:500]
        item.save(update_fields=["status", "decline_reason", "updated_at"])
        audit.record("meetings.agenda_item.declined", actor=by, obj=item, reason=reason)
        if was_proposed and item.proposed_by_id != by.pk:
            notifications.send_agenda_item_decided(item)
    return item


def agenda_item_move(*, item, direction, by):
    """Swap an accepted item with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise DomainError(_("Move an item up or down."))
    with transaction.atomic():
        meeting = _lock_open_meeting(item.meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        accepted = meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
        if direction == "up":
            neighbour = accepted.filter(position__lt=item.position).order_by("-position").first()
        else:
            neighbour = accepted.filter(position__gt=item.position).order_by("position").first()
        if neighbour is None:
            return item
        # Positions are unique per meeting: park one item at 0 while the other takes its place.
        mine, theirs = item.position, neighbour.position
        AgendaItem.objects.filter(pk=item.pk).update(position=0)
        AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
        AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
        audit.record("meetings.agenda_item.moved", actor=by, obj=item, direction=direction)
        item.position = theirs
    return item


def agenda_item_delete(*, item, by):
    with transaction.atomic():
        _lock_open_meeting(item.meeting)
        audit.record("meetings.agenda_item.deleted", actor=by, obj=item, meeting=item.meeting_id)
        item.delete()


def carryover_suggestions(meeting):
    """Open action points of earlier meetings and pending decisions (from the hooks)."""
    suggestions = []
    open_actions = (
        ActionPoint.objects.open()
        .filter(meeting__starts_at__lt=meeting.starts_at)
        .select_related("meeting", "owner_organisation", "owner_person")
        .order_by("due_date", "pk")
    )
    tzinfo = Network.objects.get_current().tzinfo
    for action in open_actions:
        params = generated.action_point_params(action, tzinfo)
        suggestions.append(
            _generated_suggestion(
                source=AgendaItem.Source.ACTION_POINT,
                source_key=f"action:{action.pk}",
                kind=generated.ACTION_POINT,
                params=params,
                source_url="",
                presenter_organisation=action.owner_organisation,
            )
        )
    for hook in meeting_hooks.entries():
        if hook.agenda_carryover is None:
            continue
        for entry in hook.agenda_carryover(meeting) or ():
            key = entry.get("url") or entry.get("title", "")
            if entry.get("kind"):
                suggestion = _generated_suggestion(
                    source=AgendaItem.Source.DECISION,
                    source_key=f"decision:{key}"[:100],
                    kind=entry["kind"],
                    params=entry.get("params") or {},
                    source_url=str(entry.get("url", ""))[:500],
                    presenter_organisation=None,
                )
            else:
                suggestion = {
                    "source": AgendaItem.Source.DECISION,
                    "source_key": f"decision:{key}"[:100],
                    "title": str(entry.get("title", ""))[:300],
                    "description": str(entry.get("description", "")),
                    "source_url": str(entry.get("url", ""))[:500],
                    "presenter_organisation": None,
                }
            suggestions.append(suggestion)
    return suggestions


def _generated_suggestion(*, kind, params, **fields):
    """An item the portal words itself: its kind and parameters, and for search and the admin
    its title and description in the portal's default language (shown in the reader's)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = render_generated(f"{kind}.title", params)
        description = render_generated(f"{kind}.description", params)
    return {
        **fields,
        "title": title[:300],
        "description": description,
        "generated_kind": kind,
        "generated_params": params,
    }


def _carried_keys(meeting):
    return set(
        meeting.agenda_items.exclude(source=AgendaItem.Source.MANUAL).values_list(
            "source", "source_key"
        )
    )


def carryover_pending(meeting):
    """The suggestions not yet on this meeting's agenda (what 'Carry over' would add)."""
    already = _carried_keys(meeting)
    return [
        suggestion
        for suggestion in carryover_suggestions(meeting)
        if (suggestion["source"], suggestion["source_key"]) not in already
    ]


def carryover_pending_count(meeting):
    """How many items 'Carry over' would add, counted in SQL (the meeting page shows a number).

    A network keeps years of action points: loading and formatting every open one of every
    earlier meeting to show one number was the upcoming meeting page's cost at scale.
    """
    carried = meeting.agenda_items.filter(source=AgendaItem.Source.ACTION_POINT).values_list(
        "source_key", flat=True
    )
    carried_ids = {int(key.split(":", 1)[1]) for key in carried if key.startswith("action:")}
    actions = (
        ActionPoint.objects.open()
        .filter(meeting__starts_at__lt=meeting.starts_at)
        .exclude(pk__in=carried_ids)
        .count()
    )
    # The hooks' suggestions (open and drafted decisions) are few: counted as built.
    already = _carried_keys(meeting)
    others = 0
    for hook in meeting_hooks.entries():
        for entry in (hook.agenda_carryover(meeting) if hook.agenda_carryover else None) or ():
            key = f"decision:{entry.get('url') or entry.get('title', '')}"[:100]
            others += (AgendaItem.Source.DECISION, key) not in already
    return actions + others


def agenda_carry_over(*, meeting, by):
    """Put open action points and pending decisions on the agenda; running it twice adds none."""
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting)
        already = _carried_keys(meeting)
        added = []
        for suggestion in carryover_suggestions(meeting):
            if (suggestion["source"], suggestion["source_key"]) in already:
                continue
            already.add((suggestion["source"], suggestion["source_key"]))
            added.append(
                AgendaItem.objects.create(
                    meeting=meeting,
                    position=_next_position(meeting),
                    status=AgendaItem.Status.ACCEPTED,
                    minutes_allotted=5,
                    proposed_by=by,
                    **suggestion,
                )
            )
        if added:
            audit.record("meetings.agenda.carried_over", actor=by, obj=meeting, items=len(added))
    return added


def meeting_call_for_agenda_items(*, meeting, cutoff, by):
    """Announce the call for agenda items and its cut-off to the member agencies."""
    from .meetings import people_to_notify

    with transaction.atomic():
        meeting = _lock_open_meeting(meeting)
        if cutoff >= meeting.starts_at:
            raise DomainError(_("The cut-off must be before the meeting starts."))
        if cutoff <= timezone.now():
            raise DomainError(_("The cut-off must be in the future."))
        meeting.agenda_cutoff = cutoff
        meeting.agenda_called_at = timezone.now()
        meeting.save(update_fields=["agenda_cutoff", "agenda_called_at", "updated_at"])
        audit.record("meetings.agenda.called", actor=by, obj=meeting, cutoff=cutoff)
        notifications.send_call_for_agenda_items(meeting, people_to_notify(meeting))
    return meeting


def agenda_circulate(*, meeting, by):
    """Email the agenda (with its PDF) to the participants.

    The PDF is rendered by a background job once this transaction has committed: never while the
    meeting row is locked (issue 9). The job is keyed on the circulation, so it runs once.
    """
    from core.jobs import job_enqueue

    from ..jobs import AGENDA_CIRCULATION

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise DomainError(_("Schedule the meeting before circulating its agenda."))
        item_ids = list(
            meeting.agenda_items.filter(status=AgendaItem.Status.ACCEPTED)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        if not item_ids:
            raise DomainError(_("The agenda has no items yet."))
        meeting.agenda_circulated_at = timezone.now()
        meeting.save(update_fields=["agenda_circulated_at", "updated_at"])
        audit.record("meetings.agenda.circulated", actor=by, obj=meeting)
        job = job_enqueue(
            kind=AGENDA_CIRCULATION,
            by=by,
            obj=meeting,
            params={"items": item_ids},
            idempotency_key=f"{AGENDA_CIRCULATION}:{meeting.pk}:"
            f"{meeting.agenda_circulated_at.isoformat()}",
        )
    meeting.circulation_job = job
    return meeting

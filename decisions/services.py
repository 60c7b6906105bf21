"""State changes of decisions: each one transaction, locked, validated, audited."""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import audit
from core.errors import DomainError
from core.models import AuditEntry, Network
from members.models import Organisation

from . import permissions, rules, selectors
from .models import (
    DeadlineExtension,
    Decision,
    DecisionCounter,
    ElectorateMember,
    Position,
    PositionChange,
    Stance,
)
from .signals import decision_closed

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("title", "text", "rationale", "proposing_organisation")
DRAFT_ONLY_FIELDS = ("procedure", "deadline", "meeting")


def _locked(decision):
    """Reload the decision with its row locked: every change of a decision goes through here.

    Opening, recording a position, extending and closing all take this lock first, so a position
    arriving in the same instant as the closing is either counted or refused, never half-counted.
    """
    return Decision.objects.select_for_update().get(pk=decision.pk)


def _enqueue(task, *args):
    transaction.on_commit(partial(task.delay, *args))


def _check_deadline(procedure, deadline, now):
    if procedure in Decision.DEADLINE_PROCEDURES:
        if deadline is None:
            raise DomainError(_("A written or silence procedure needs a deadline."))
        if deadline <= now:
            raise DomainError(_("The deadline must be in the future."))


def _check_notice(decision, network, now):
    """The deadline leaves agencies the network's minimum notice (a setting of the network)."""
    silence = decision.procedure == Decision.Procedure.SILENCE
    earliest, is_a_date = rules.earliest_deadline(
        opened_at=now,
        silence=silence,
        notice_days=network.decision_notice_days,
        notice_working_days=network.silence_notice_working_days,
        weekend=network.weekend_days,
        tzinfo=network.tzinfo,
    )
    if rules.notice_is_enough(
        deadline=decision.deadline, earliest=earliest, is_a_date=is_a_date, tzinfo=network.tzinfo
    ):
        return
    if silence:
        raise DomainError(
            ngettext(
                "A silence procedure gives agencies at least %(count)s working day: set the "
                "deadline on %(date)s or later.",
                "A silence procedure gives agencies at least %(count)s working days: set the "
                "deadline on %(date)s or later.",
                network.silence_notice_working_days,
            )
            % {
                "count": network.silence_notice_working_days,
                "date": date_format(earliest, "l j F Y"),
            }
        )
    raise DomainError(
        ngettext(
            "A written procedure gives agencies at least %(count)s day: set the deadline at "
            "%(moment)s or later.",
            "A written procedure gives agencies at least %(count)s days: set the deadline at "
            "%(moment)s or later.",
            network.decision_notice_days,
        )
        % {
            "count": network.decision_notice_days,
            "moment": date_format(timezone.localtime(earliest, network.tzinfo), "j F Y, H:i"),
        }
    )


def decision_create(
    *,
    title,
    text,
    by,
    rationale="",
    proposing_organisation=None,
    procedure=Decision.Procedure.WRITTEN,
    deadline=None,
    meeting=None,
    replaces=None,
):
    """Draft a decision (or a revision of a closed one)."""
    if not (permissions.can_draft_decision(by) or permissions.can_manage_decision(by)):
        raise DomainError(_("You may not draft decisions."))
    with transaction.atomic():
        decision = Decision(
            title=title,
            text=text,
            rationale=rationale,
            proposing_organisation=proposing_organisation,
            procedure=procedure,
            deadline=deadline,
            replaces=replaces,
            meeting=meeting,
            created_by=by,
        )
        decision.full_clean()
        decision.save()
        audit.record(
            "decisions.decision.revised" if replaces else "decisions.decision.drafted",
            actor=by,
            obj=decision,
            replaces=replaces.reference if replaces else None,
        )
    return decision


def decision_revise(*, decision, by, **fields):
    """A revised text is a new draft decision that links to the one it replaces."""
    decision = Decision.objects.get(pk=decision.pk)
    if decision.status not in Decision.CLOSED_STATUSES:
        raise DomainError(
            _("Withdraw the decision first: a revised text replaces a closed decision.")
        )
    return decision_create(replaces=decision, by=by, **fields)


def decision_update(*, decision, by, **fields):
    """Change a draft, or the text of an open decision on which no agency has taken a position."""
    with transaction.atomic():
        decision = _locked(decision)
        has_positions = decision.positions.exists()
        if not permissions.can_edit_decision(by, decision, has_positions=has_positions):
            if decision.status == Decision.Status.OPEN and has_positions:
                raise DomainError(
                    _(
                        "The text is locked: an agency has taken a position. Withdraw the "
                        "decision and open a revised one for a substantive change."
                    )
                )
            raise DomainError(_("This decision can no longer be changed."))
        changed = []
        for name, value in fields.items():
            if name not in EDITABLE_FIELDS + DRAFT_ONLY_FIELDS:
                raise ValueError(f"{name} is not an editable field of a decision")
            if name in DRAFT_ONLY_FIELDS and decision.status != Decision.Status.DRAFT:
                if getattr(decision, name) != value:
                    raise DomainError(_("The procedure and the deadline are fixed once opened."))
                continue
            if getattr(decision, name) != value:
                setattr(decision, name, value)
                changed.append(name)
        if changed:
            decision.full_clean()
            decision.save()
            audit.record("decisions.decision.edited", actor=by, obj=decision, fields=changed)
    return decision


def _allocate_sequence(year):
    """The next number of the year, without gaps or duplicates however many open at once.

    The counter row is locked until the opening commits; a rolled-back opening releases its
    number with the lock, so no gap is left either.
    """
    DecisionCounter.objects.bulk_create([DecisionCounter(year=year)], ignore_conflicts=True)
    counter = DecisionCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def decision_open(*, decision, by, deadline=None):
    """Open a draft: number it, take the electorate snapshot, notify the focal points."""
    from .tasks import notify_decision_opened_task

    if not permissions.can_manage_decision(by):
        raise DomainError(_("Only a co-chair may open a decision."))
    with transaction.atomic():
        decision = _locked(decision)
        if decision.status != Decision.Status.DRAFT:
            raise DomainError(_("Only a draft can be opened."))
        now = timezone.now()
        if deadline is not None:
            decision.deadline = deadline
        _check_deadline(decision.procedure, decision.deadline, now)
        if decision.deadline is not None and decision.deadline <= now:
            # Even at a meeting: the scheduler would close it at once, with no position taken.
            raise DomainError(_("The deadline must be in the future."))
        network = Network.objects.get_current()
        if decision.procedure in Decision.DEADLINE_PROCEDURES:
            _check_notice(decision, network, now)
        electorate = list(
            Organisation.objects.voting_members().distinct().values_list("pk", flat=True)
        )
        if not electorate:
            raise DomainError(_("There are no member agencies with voting rights."))
        year = timezone.localtime(now, network.tzinfo).year
        decision.year = year
        decision.sequence = _allocate_sequence(year)
        decision.reference = f"{network.decision_prefix}/{year}/{decision.sequence:03d}"
        decision.status = Decision.Status.OPEN
        decision.opened_at = now
        decision.opened_by = by
        decision.save()
        ElectorateMember.objects.bulk_create(
            [ElectorateMember(decision=decision, organisation_id=pk) for pk in electorate]
        )
        audit.record(
            "decisions.decision.opened",
            actor=by,
            obj=decision,
            reference=decision.reference,
            procedure=decision.procedure,
            deadline=decision.deadline,
            electorate=len(electorate),
        )
        _enqueue(notify_decision_opened_task, decision.pk)
    return decision


def position_record(
    *,
    decision,
    organisation,
    stance,
    by,
    reason="",
    comment="",
    on_behalf=False,
    meeting=None,
):
    """Record or change an agency's position; every change is kept in the history.

    `meeting`: where a co-chair heard the position stated (on behalf only); it is flagged as
    recorded at that meeting. Without it, an on-behalf position belongs to the decision's meeting.
    """
    from .tasks import notify_objection_task

    organisation_id = getattr(organisation, "pk", organisation)
    if on_behalf:
        if not permissions.can_record_position_on_behalf(by, decision, meeting=meeting):
            raise DomainError(
                _("Only a co-chair may record a position on an agency's behalf, at a meeting.")
            )
    elif not permissions.can_record_position(by, organisation_id):
        raise DomainError(_("Only the agency's focal point or alternate may record its position."))
    if stance not in Stance.values:
        raise DomainError(_("Choose concur, stand aside or object."))
    reason = (reason or "").strip()
    comment = (comment or "").strip()
    if stance == Stance.OBJECT and not reason:
        raise DomainError(_("An objection needs a reason."))

    with transaction.atomic():
        decision = _locked(decision)
        if decision.status != Decision.Status.OPEN:
            raise DomainError(_("This decision is closed: positions can no longer change."))
        if rules.deadline_passed(decision.deadline, timezone.now()):
            raise DomainError(_("The deadline has passed: positions can no longer change."))
        if not decision.electorate.filter(organisation_id=organisation_id).exists():
            raise DomainError(_("This agency is not in the electorate of this decision."))
        position = Position.objects.filter(
            decision=decision, organisation_id=organisation_id
        ).first()
        previous = position.stance if position else ""
        if position and (position.stance, position.reason, position.comment) == (
            stance,
            reason,
            comment,
        ):
            return position
        if position is None:
            position = Position(decision=decision, organisation_id=organisation_id)
        position.stance = stance
        position.reason = reason
        position.comment = comment
        position.recorded_by = by
        position.on_behalf = on_behalf
        if not on_behalf:
            position.meeting_id = None
        else:
            position.meeting_id = meeting.pk if meeting is not None else decision.meeting_id
        try:
            with transaction.atomic():
                position.save()
        except IntegrityError as error:
            # Unreachable while the decision row is locked; the constraint is the last guard.
            raise DomainError(
                _("Another position was recorded at the same time; try again.")
            ) from error
        PositionChange.objects.create(
            decision=decision,
            organisation_id=organisation_id,
            from_stance=previous,
            to_stance=stance,
            reason=reason,
            comment=comment,
            recorded_by=by,
            on_behalf=on_behalf,
            meeting_id=position.meeting_id,
        )
        audit.record(
            "decisions.position.changed" if previous else "decisions.position.recorded",
            actor=by,
            obj=decision,
            organisation=organisation_id,
            from_stance=previous,
            to_stance=stance,
            on_behalf=on_behalf,
        )
        if stance == Stance.OBJECT and previous != Stance.OBJECT:
            change_id = decision.position_changes.latest("created_at", "pk").pk
            _enqueue(notify_objection_task, decision.pk, change_id)
    return position


def decision_close(*, decision, by=None):
    """Close an open decision and store its outcome, once.

    `by=None` is the scheduler at the deadline: closing an already closed decision, or one whose
    deadline has not come, does nothing. A co-chair closes once every agency has a position.
    Returns the decision, or None when there was nothing to close.
    """
    from .tasks import announce_outcome_task

    if by is not None and not permissions.can_manage_decision(by):
        raise DomainError(_("Only a co-chair may close a decision."))
    with transaction.atomic():
        decision = _locked(decision)
        now = timezone.now()
        if decision.status != Decision.Status.OPEN:
            if by is None:
                return None
            raise DomainError(_("This decision is already closed."))
        electorate, positions = selectors.outcome_inputs(decision)
        if by is None:
            if not rules.deadline_passed(decision.deadline, now):
                return None
        elif not rules.all_have_responded(electorate, positions) and not rules.deadline_passed(
            decision.deadline, now
        ):
            raise DomainError(
                _("Not every agency has a position yet: the decision closes at its deadline.")
            )
        outcome = rules.consensus_outcome(
            electorate, positions, silence_procedure=decision.is_silence_procedure
        )
        decision.outcome = outcome.as_dict()
        decision.status = (
            Decision.Status.ADOPTED if outcome.adopted else Decision.Status.NOT_ADOPTED
        )
        decision.closed_at = now
        decision.closed_by = by
        decision.save()
        audit.record(
            "decisions.decision.closed",
            actor=by,
            obj=decision,
            status=decision.status,
            automatic=by is None,
            reasons=list(outcome.reasons),
        )
        decision_closed.send(sender=Decision, decision=decision, adopted=outcome.adopted)
        _enqueue(announce_outcome_task, decision.pk)
    return decision


def decision_withdraw(*, decision, reason, by):
    """Withdraw a draft or an open decision; nothing is decided."""
    from .tasks import announce_outcome_task

    if not permissions.can_manage_decision(by):
        raise DomainError(_("Only a co-chair may withdraw a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for withdrawing the decision."))
    with transaction.atomic():
        decision = _locked(decision)
        if decision.status not in (Decision.Status.DRAFT, Decision.Status.OPEN):
            raise DomainError(_("This decision is already closed."))
        was_open = decision.status == Decision.Status.OPEN
        decision.status = Decision.Status.WITHDRAWN
        decision.withdrawal_reason = reason
        decision.closed_at = timezone.now()
        decision.closed_by = by
        decision.save()
        audit.record("decisions.decision.withdrawn", actor=by, obj=decision, reason=reason)
        # Nothing was decided: what waited on the outcome (a ToR amendment) stops waiting.
        decision_closed.send(sender=Decision, decision=decision, adopted=False)
        if was_open:
            _enqueue(announce_outcome_task, decision.pk)
    return decision


MANUAL_REMINDER_ACTION = "decisions.reminder.sent"


def last_manual_reminder_at(decision):
    entry = (
        AuditEntry.objects.filter(
            action=MANUAL_REMINDER_ACTION,
            content_type=ContentType.objects.get_for_model(Decision),
            object_id=str(decision.pk),
        )
        .order_by("-created_at")
        .first()
    )
    return entry.created_at if entry else None


def decision_remind_unanswered(*, decision, by):
    """A co-chair reminds the agencies without a position; at most once per interval.

    Returns the acronyms of the agencies reminded. The emails go out after commit, through a
    task keyed by this reminder's audit entry, so a retried task does not send them twice.
    """
    from .tasks import send_manual_reminder_task

    if not permissions.can_manage_decision(by):
        raise DomainError(_("Only a co-chair may remind the agencies."))
    with transaction.atomic():
        decision = _locked(decision)
        now = timezone.now()
        if decision.status != Decision.Status.OPEN or rules.deadline_passed(decision.deadline, now):
            raise DomainError(_("Only an open decision before its deadline takes positions."))
        next_at = rules.next_manual_reminder_at(last_manual_reminder_at(decision))
        if next_at is not None and now < next_at:
            raise DomainError(
                _("The agencies were reminded recently; the next reminder can go at %(when)s.")
                % {"when": date_format(timezone.localtime(next_at), "j F Y, H:i")}
            )
        missing = list(
            decision.electorate.exclude(
                organisation_id__in=decision.positions.values("organisation_id")
            )
            .order_by("organisation__acronym")
            .values_list("organisation__acronym", flat=True)
        )
        if not missing:
            raise DomainError(_("Every agency has a position: there is nobody to remind."))
        entry = audit.record(MANUAL_REMINDER_ACTION, actor=by, obj=decision, agencies=missing)
        logger.info(
            "Decision %s: user %s reminded %d agencies without a position (%s)",
            decision.reference,
            by.pk,
            len(missing),
            ", ".join(missing),
        )
        _enqueue(send_manual_reminder_task, decision.pk, entry.pk)
    return missing


def decision_extend_deadline(*, decision, new_deadline, reason, by):
    """Move the deadline of an open decision later, before it passes, for a shown reason."""
    if not permissions.can_manage_decision(by):
        raise DomainError(_("Only a co-chair may extend a deadline."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the extension: it is shown to everyone."))
    with transaction.atomic():
        decision = _locked(decision)
        now = timezone.now()
        if decision.status != Decision.Status.OPEN or decision.deadline is None:
            raise DomainError(_("Only an open decision with a deadline can be extended."))
        if rules.deadline_passed(decision.deadline, now):
            raise DomainError(_("The deadline has passed: it can no longer be extended."))
        if new_deadline <= decision.deadline:
            raise DomainError(_("The new deadline must be later than the current one."))
        extension = DeadlineExtension.objects.create(
            decision=decision,
            previous_deadline=decision.deadline,
            new_deadline=new_deadline,
            reason=reason,
            extended_by=by,
        )
        decision.deadline = new_deadline
        decision.save(update_fields=["deadline", "updated_at"])
        audit.record(
            "decisions.decision.extended",
            actor=by,
            obj=decision,
            previous=extension.previous_deadline,
            new=new_deadline,
            reason=reason,
        )
    return decision


def positions_record_at_meeting(*, meeting, entries, by):
    """Positions stated at a meeting, recorded on the agencies' behalf by a co-chair, at once.

    `entries`: dicts with `decision`, `organisation` (id), `stance`, `reason`. Only agencies
    present at the meeting (in its attendance) state a position there. One transaction: one
    refused entry leaves every position as it was.
    """
    present = set(
        meeting.attendance.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    recorded = []
    with transaction.atomic():
        for entry in entries:
            organisation_id = entry["organisation"]
            if organisation_id not in present:
                raise DomainError(
                    _("%(agency)s is not recorded as present at this meeting.")
                    % {"agency": entry.get("label") or organisation_id}
                )
            try:
                position = position_record(
                    decision=entry["decision"],
                    organisation=organisation_id,
                    stance=entry["stance"],
                    reason=entry.get("reason", ""),
                    by=by,
                    on_behalf=True,
                    meeting=meeting,
                )
            except DomainError as error:
                # Say which row of the table was refused: nothing of the table was saved.
                raise DomainError(
                    _("%(agency)s on %(decision)s: %(error)s")
                    % {
                        "agency": entry.get("label") or organisation_id,
                        "decision": entry["decision"].reference,
                        "error": error.message,
                    },
                    code=error.code,
                ) from error
            recorded.append(position)
    return recorded

"""Celery tasks of decisions: take ids, reload, act; running one twice does no harm."""

import logging

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Network

from . import rules, selectors, services
from .models import Decision, PositionChange, SentNotification, SentReminder
from .notifications import send_to_representatives

logger = logging.getLogger(__name__)


def _claim(model, **fields):
    """Insert the row that says a message went out; False when it was already there."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


@shared_task
def notify_decision_opened_task(decision_id):
    """Tell every focal point and alternate of the electorate that a decision is open."""
    decision = Decision.objects.filter(pk=decision_id, status="open").first()
    if decision is None:
        return 0
    with transaction.atomic():
        if not _claim(SentNotification, decision=decision, kind="opened", key=""):
            return 0
        electorate = decision.electorate.values("organisation_id")
        return send_to_representatives(
            selectors.representatives(electorate), "opened", {"decision": decision}
        )


@shared_task
def notify_objection_task(decision_id, change_id):
    """Alert the co-chairs at once that an agency objects."""
    change = (
        PositionChange.objects.select_related("decision", "organisation", "recorded_by")
        .filter(pk=change_id, decision_id=decision_id)
        .first()
    )
    if change is None:
        return 0
    with transaction.atomic():
        if not _claim(
            SentNotification, decision=change.decision, kind="objection", key=str(change.pk)
        ):
            return 0
        return send_to_representatives(
            selectors.co_chair_representatives(),
            "objection",
            {"decision": change.decision, "change": change},
        )


@shared_task
def announce_outcome_task(decision_id):
    """Announce the outcome (or the withdrawal) to every focal point and alternate."""
    decision = (
        Decision.objects.filter(pk=decision_id, status__in=Decision.CLOSED_STATUSES)
        .select_related("closed_by")
        .first()
    )
    if decision is None:
        return 0
    with transaction.atomic():
        if not _claim(SentNotification, decision=decision, kind="outcome", key=""):
            return 0
        electorate = decision.electorate.values("organisation_id")
        return send_to_representatives(
            selectors.representatives(electorate), "outcome", {"decision": decision}
        )


@shared_task
def close_decision_task(decision_id):
    """Close one decision whose deadline has come (nothing happens if it is closed already)."""
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        return None
    closed = services.decision_close(decision=decision, by=None)
    return closed.status if closed else None


@shared_task
def close_due_decisions_task():
    """Beat: close every open decision whose deadline has passed."""
    closed = 0
    for decision_id in Decision.objects.due(timezone.now()).values_list("pk", flat=True):
        try:
            if close_decision_task(decision_id):
                closed += 1
        except Exception:
            # One broken decision must not keep the others open past their deadline.
            logger.exception("Could not close decision %s at its deadline", decision_id)
    return closed


@shared_task
def send_decision_reminders_task():
    """Beat: remind agencies without a position, N days before the deadline, once each."""
    network = Network.objects.get_current()
    now = timezone.now()
    sent = 0
    decisions = Decision.objects.open().filter(deadline__gt=now)
    for decision in decisions:
        offsets = rules.due_reminder_offsets(
            deadline=decision.deadline,
            opened_at=decision.opened_at,
            now=now,
            days_before=network.decision_reminder_days,
        )
        if not offsets:
            continue
        for organisation_id in selectors.unanswered_agency_ids(decision):
            with transaction.atomic():
                # Every due offset is claimed, but one email goes out: a decision opened late
                # does not get its 3-day and 1-day reminders at once.
                claimed = [
                    days
                    for days in offsets
                    if _claim(
                        SentReminder,
                        decision=decision,
                        organisation_id=organisation_id,
                        days_before=days,
                        deadline=decision.deadline,
                    )
                ]
                if claimed:
                    sent += send_to_representatives(
                        selectors.representatives([organisation_id]),
                        "reminder",
                        {"decision": decision, "days": min(claimed)},
                    )
    return sent


@shared_task
def send_manual_reminder_task(decision_id, entry_id):
    """Email the agencies still without a position after a co-chair's reminder (once per entry)."""
    decision = Decision.objects.filter(pk=decision_id, status="open").first()
    if decision is None:
        return 0
    with transaction.atomic():
        if not _claim(
            SentNotification,
            decision=decision,
            kind=SentNotification.Kind.REMINDER,
            key=str(entry_id),
        ):
            return 0
        # Who is still silent now: an agency that answered meanwhile is not reminded.
        missing = selectors.unanswered_agency_ids(decision)
        return send_to_representatives(
            selectors.representatives(missing), "reminder", {"decision": decision}
        )

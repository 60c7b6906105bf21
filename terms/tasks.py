"""Celery tasks of the Terms of Reference: running one twice does no harm."""

from datetime import date

from celery import shared_task
from django.db import IntegrityError, transaction

from . import rules, selectors
from .models import ReviewReminder
from .notifications import send_review_reminder


@shared_task
def send_terms_review_reminder_task(today=None):
    """Beat (daily): on the anniversary of the current version, remind the co-chairs once.

    Nothing is sent when the review of that anniversary is already recorded. A ledger row per
    version and anniversary (ReviewReminder) makes it once, however often the task runs; the
    email ledger makes each email once, however often the email task runs.
    """
    today = date.fromisoformat(today) if isinstance(today, str) else today
    today = today or selectors.network_today()
    version = selectors.current_version()
    due_on = rules.review_pending(version.effective_on, today, selectors.reviewed_cycles(version))
    if due_on is None:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = ReviewReminder.objects.create(version=version, due_on=due_on)
        except IntegrityError:
            return 0
        reminder.recipients = send_review_reminder(version, due_on)
        reminder.save(update_fields=["recipients"])
    return reminder.recipients

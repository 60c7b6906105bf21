"""Celery tasks of reports: running one twice does no harm."""

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import rules
from .models import Report, ReportReminder
from .notifications import co_chairs, send_reminder


def _claim(kind, period, reminder):
    """Insert the ledger row that says this reminder went out; False when it was already there."""
    try:
        with transaction.atomic():
            return ReportReminder.objects.create(
                kind=kind, period_start=period.start, period_end=period.end, reminder=reminder
            )
    except IntegrityError:
        return None


def _remind(period, reminder, template):
    with transaction.atomic():
        row = _claim(Report.Kind.BIANNUAL, period, reminder)
        if row is None:
            return 0
        row.recipients = send_reminder(co_chairs(), template, {"period": period})
        row.save(update_fields=["recipients"])
        return row.recipients


@shared_task
def send_report_reminders_task(today=None):
    """Beat: remind the co-chairs to prepare the bi-annual report, and again if it is late.

    The first reminder goes REPORT_REMINDER_DAYS_BEFORE days before each half-year ends; the
    second REPORT_OVERDUE_DAYS_AFTER days after it ended, if no report for it is final. Each is
    sent once (a ledger row per period, kind and reminder).
    """
    today = timezone.localdate() if today is None else today
    if isinstance(today, str):
        from datetime import date

        today = date.fromisoformat(today)
    sent = 0
    current = rules.half_year_of(today)
    if rules.prepare_reminder_due(current, today, settings.REPORT_REMINDER_DAYS_BEFORE):
        sent += _remind(current, ReportReminder.Reminder.PREPARE, "prepare")
    previous = rules.previous_half_year(today)
    if rules.overdue_reminder_due(previous, today, settings.REPORT_OVERDUE_DAYS_AFTER):
        has_final = (
            Report.objects.released()
            .filter(
                kind=Report.Kind.BIANNUAL,
                period_start=previous.start,
                period_end=previous.end,
            )
            .exists()
        )
        if not has_final:
            sent += _remind(previous, ReportReminder.Reminder.OVERDUE, "overdue")
    return sent

"""Reminders to the co-chairs: before each half-year ends, and again when nothing is final."""

from datetime import date

import pytest

from reports import services
from reports.models import ReportReminder
from reports.rules import half_year
from reports.tasks import send_report_reminders_task

from .conftest import PERIOD


def _final(period, chair):
    report = services.report_create(kind="biannual", period=period, by=chair)
    services.narrative_save(report=report, language="en", texts={"summary": "Done."}, by=chair)
    return services.report_finalize(report=report, by=chair)


@pytest.fixture
def chair(period_data, settings):
    settings.REPORT_REMINDER_DAYS_BEFORE = 14
    settings.REPORT_OVERDUE_DAYS_AFTER = 14
    # The report of the half-year before is final: only this period's reminders are due.
    _final(half_year(2024, 2), period_data.chair)
    return period_data.chair


def _run(day, capture):
    with capture(execute=True):
        return send_report_reminders_task(day.isoformat())


def test_the_co_chairs_are_reminded_once_before_the_half_year_ends(
    chair, mailoutbox, django_capture_on_commit_callbacks
):
    # Too early: nothing.
    assert _run(date(2025, 6, 15), django_capture_on_commit_callbacks) == 0

    assert _run(date(2025, 6, 16), django_capture_on_commit_callbacks) == 1
    assert _run(date(2025, 6, 17), django_capture_on_commit_callbacks) == 0
    assert _run(date(2025, 6, 16), django_capture_on_commit_callbacks) == 0

    assert [m.to for m in mailoutbox] == [[chair.email]]
    assert "January\N{EN DASH}June 2025" in mailoutbox[0].subject
    assert ReportReminder.objects.get().reminder == "prepare"


def test_the_number_of_days_is_a_setting(chair, settings, django_capture_on_commit_callbacks):
    settings.REPORT_REMINDER_DAYS_BEFORE = 30

    assert _run(date(2025, 6, 1), django_capture_on_commit_callbacks) == 1


def test_they_are_reminded_again_once_when_nothing_is_final_two_weeks_after(
    chair, mailoutbox, django_capture_on_commit_callbacks
):
    # The "prepare" reminder of the second half-year is not due in July, and the overdue one
    # only from the 14th day after the end of June.
    assert _run(date(2025, 7, 13), django_capture_on_commit_callbacks) == 0
    assert _run(date(2025, 7, 14), django_capture_on_commit_callbacks) == 1
    assert _run(date(2025, 7, 20), django_capture_on_commit_callbacks) == 0

    assert len(mailoutbox) == 1
    assert "not final yet" in mailoutbox[0].subject
    assert ReportReminder.objects.get().reminder == "overdue"


def test_no_overdue_reminder_once_the_report_is_final(
    chair, mailoutbox, django_capture_on_commit_callbacks
):
    _final(PERIOD, chair)

    assert _run(date(2025, 7, 20), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []

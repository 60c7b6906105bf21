"""Pure rules of reports: the periods they cover, their labels, when to remind the co-chairs."""

from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from core.registry import Period

# Choices of the period of a new report: the first or second half of a year, or the whole year.
FIRST_HALF, SECOND_HALF, FULL_YEAR = "h1", "h2", "year"


def half_year(year, half):
    """January-June (half 1) or July-December (half 2) of a year (ToR: reports twice a year)."""
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30))
    return Period(date(year, 7, 1), date(year, 12, 31))


def half_year_of(day):
    return half_year(day.year, 1 if day.month <= 6 else 2)


def previous_half_year(day):
    current = half_year_of(day)
    return half_year_of(current.start - timedelta(days=1))


def period_for(year, choice):
    if choice == FIRST_HALF:
        return half_year(year, 1)
    if choice == SECOND_HALF:
        return half_year(year, 2)
    return Period(date(year, 1, 1), date(year, 12, 31))


def period_label(period):
    """'January-June 2026', '2026' for a calendar year, else the two dates."""
    start, end = period.start, period.end
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return str(start.year)
    if start.year == end.year and start.day == 1 and _is_month_end(end):
        first, last = formats.date_format(start, "F"), formats.date_format(end, "F")
        return f"{first}\N{EN DASH}{last} {start.year}"
    return f"{formats.date_format(start)} \N{EN DASH} {formats.date_format(end)}"


def _is_month_end(day):
    return (day + timedelta(days=1)).day == 1


def default_title(kind_label, period):
    return _("%(kind)s, %(period)s") % {"kind": kind_label, "period": period_label(period)}


def prepare_reminder_due(period, today, days_before):
    """The co-chairs are told to prepare the report `days_before` the period ends."""
    return period.end - timedelta(days=days_before) <= today <= period.end


def overdue_reminder_due(period, today, days_after):
    """And told again when nothing is final `days_after` the period ended."""
    return today >= period.end + timedelta(days=days_after)

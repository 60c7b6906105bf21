"""The reports card of the dashboard: the latest final reports; for co-chairs, what to prepare."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from core.registry import Panel

from . import permissions, rules, selectors
from .models import Report


def reports_to_prepare(today=None):
    """The bi-annual reports of the last and the current half-year that are not final yet."""
    today = today or timezone.localdate()
    periods = (rules.previous_half_year(today), rules.half_year_of(today))
    # Both half-years' reports in one query; the first of each, as the ordering had it.
    found = {}
    for report in Report.objects.filter(
        reduce(or_, (Q(period_start=p.start, period_end=p.end) for p in periods)),
        kind=Report.Kind.BIANNUAL,
    ):
        found.setdefault((report.period_start, report.period_end), report)
    due = []
    for period in periods:
        report = found.get((period.start, period.end))
        if report is None or report.is_draft:
            due.append(
                {
                    "period": period,
                    "label": rules.period_label(period),
                    "report": report,
                    "half": rules.FIRST_HALF if period.start.month == 1 else rules.SECOND_HALF,
                }
            )
    return due


def panels(user):
    if not permissions.can_open_reports(user):
        return []
    to_prepare = reports_to_prepare() if permissions.can_finalize_reports(user) else []
    latest = selectors.latest_final_reports(user)
    if not latest and not to_prepare:
        return []
    return [
        Panel(
            template_name="reports/_dashboard_panel.html",
            context={"reports": latest, "to_prepare": to_prepare},
            order=60,
        )
    ]

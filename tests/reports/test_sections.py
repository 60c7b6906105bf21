"""Each module's section of a report, checked against the seeded first half of 2025."""

import importlib
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

from core.registry import Audience, Period, report_sections_for

from .conftest import PERIOD


def _sections(audience=Audience.NETWORK, language="en", period=PERIOD):
    return {section.key: section for section in report_sections_for(period, audience, language)}


def _figures(section):
    return {str(label): value for label, value in section.figures}


def _table(section, caption):
    return next(table for table in section.tables if table.caption == caption)


def test_meetings_section_counts_meetings_held_and_attendance_by_agency(period_data):
    section = _sections()["meetings"]

    assert _figures(section)["Meetings held"] == 2
    held = _table(section, "Meetings held in the period")
    assert [row[1] for row in held.rows] == ["February regular meeting", "May regular meeting"]
    assert [row[3] for row in held.rows] == [3, 2]  # people present
    by_agency = _table(section, "Attendance by agency")
    assert by_agency.rows == [["IOMX", 2, 3], ["ILOX", 1, 1], ["WHOX", 1, 1]]


def test_decisions_section_counts_adopted_and_not_adopted_with_references(period_data):
    section = _sections()["decisions"]

    assert _figures(section) == {"Adopted by full consensus": 2, "Not adopted": 1}
    references = [row[0] for row in section.tables[0].rows]
    assert references == ["UNNM-BH/2025/001", "UNNM-BH/2025/002", "UNNM-BH/2025/003"]


def test_workplan_section_counts_progress_and_funding_of_the_period(period_data):
    section = _sections()["workplan"]
    figures = _figures(section)

    # Deliverable 4 runs in Q3-Q4 only: not part of January-June.
    assert figures["Deliverables in the period"] == 3
    assert figures["Completed"] == 1
    assert figures["On track"] == 1
    assert figures["At risk or delayed"] == 1
    assert figures["Budget required"] == "USD 100,000"
    assert figures["Funds secured"] == "USD 55,000"  # confirmed only, pledges do not count
    assert figures["Funding gap"] == "USD 45,000"
    by_agency = _table(section, "Progress and funding by lead agency")
    assert by_agency.rows == [
        ["ILOX", 2, 0, 1, "USD 50,000", "USD 15,000"],
        ["IOMX", 1, 1, 0, "USD 50,000", "USD 40,000"],
    ]
    by_objective = _table(section, "Progress by ToR objective")
    assert by_objective.rows[0][1:] == [3, 1, 1, 1, 0]
    gcm = _table(section, "GCM objectives served")
    assert [row[1] for row in gcm.rows] == [2, 1]  # GCM 6 by two deliverables, GCM 10 by one
    titles = [row[1] for row in _table(section, "Deliverables").rows]
    assert "Labour inspectors trained on forced labour indicators" in titles
    assert "Second-half deliverable" not in titles


def test_action_points_section_counts_open_and_overdue(period_data):
    figures = _figures(_sections()["action_points"])

    assert figures["Agreed at the period's meetings"] == 3
    assert figures["Of which done"] == 1
    assert figures["Open"] == 2
    assert figures["Overdue"] == 1


def test_membership_section_lists_agencies_joined_and_focal_point_changes(period_data):
    section = _sections()["membership"]

    assert _figures(section)["Joined"] == 1
    assert section.tables[0].rows[0][:3] == ["WHOX", "Member agency (voting)", "Joined"]
    changes = section.tables[1].rows
    assert ["ILOX", "Focal point", "Nadia Focal", "Appointed"] in [row[:4] for row in changes]


def test_the_government_update_leaves_out_internal_sections(period_data):
    keys = list(_sections(Audience.GOVERNMENT))

    assert keys == ["meetings", "workplan"]


def test_sections_come_in_report_order(period_data):
    assert list(_sections()) == ["meetings", "action_points", "decisions", "workplan", "membership"]


def test_a_period_with_nothing_contributes_no_section(period_data):
    assert report_sections_for(Period(date(2010, 1, 1), date(2010, 6, 30)), "network", "en") == []


@pytest.mark.parametrize("app", ["workplan", "decisions"])
def test_an_absent_module_contributes_nothing_and_nothing_fails(period_data, app):
    installed = [name for name in settings.INSTALLED_APPS if name != app]
    with override_settings(INSTALLED_APPS=installed):
        clear_url_caches()
        try:
            keys = list(_sections())
            assert app not in keys
            assert "meetings" in keys
        finally:
            clear_url_caches()
    importlib.reload(importlib.import_module("unnm.urls"))
    clear_url_caches()
    assert app in _sections()


def test_sections_are_built_in_the_requested_language(period_data):
    section = _sections(language="ar")["decisions"]

    assert section.title != "Decisions"


def test_while_a_period_runs_action_points_are_overdue_only_once_their_date_has_passed(db):
    from django.utils import timezone

    from tests.factories import ActionPointFactory, past_meeting

    today = timezone.localdate()
    meeting = past_meeting(days_ago=1)
    ActionPointFactory(meeting=meeting, due_date=today - timedelta(days=1))
    ActionPointFactory(meeting=meeting, due_date=today + timedelta(days=1))
    period = Period(today - timedelta(days=30), today + timedelta(days=60))

    figures = _figures(_sections(period=period)["action_points"])

    assert figures["Open"] == 2
    assert figures["Overdue"] == 1


def _chart(section, title):
    return next(chart for chart in section.charts if str(chart.title) == title)


def test_the_workplan_section_draws_progress_and_funding_by_objective(period_data):
    section = _sections()["workplan"]

    progress = _chart(section, "Progress by ToR objective")
    by_objective = _table(section, "Progress by ToR objective")
    # The bars are the table's rows: completed, on track, at risk or delayed, not started.
    assert [(label, values) for label, values in progress.rows] == [
        (row[0], row[2:]) for row in by_objective.rows
    ]
    assert [str(s.label) for s in progress.series] == [str(c) for c in by_objective.columns[2:]]
    funding = _chart(section, "Funding by ToR objective")
    # All three deliverables serve the first objective: USD 55,000 secured of 100,000 required.
    assert funding.rows[0][0] == by_objective.rows[0][0]
    assert funding.rows[0][1] == [55000, 45000]


def test_the_meetings_section_draws_attendance_by_agency(period_data):
    section = _sections()["meetings"]

    chart = _chart(section, "Attendance by agency")
    by_agency = _table(section, "Attendance by agency")
    assert [(label, values) for label, values in chart.rows] == [
        (row[0], [row[1]]) for row in by_agency.rows
    ]


def test_charts_are_built_in_the_sections_language(period_data):
    section = _sections(language="ar")["workplan"]

    titles = [str(chart.title) for chart in section.charts]
    assert titles == ["التقدم حسب هدف الاختصاصات", "التمويل حسب هدف الاختصاصات"]
    assert [str(s.label) for s in section.charts[1].series] == ["المضمون", "الفجوة"]


def test_a_frozen_section_keeps_its_charts(period_data):
    import json

    from reports.selectors import section_from_dict, section_to_dict

    section = _sections()["workplan"]
    frozen = section_from_dict(json.loads(json.dumps(section_to_dict(section))))

    assert [chart.kind for chart in frozen.charts] == ["stacked_bar", "stacked_bar"]
    for kept, built in zip(frozen.charts, section.charts, strict=True):
        assert kept.title == built.title
        assert [list(row) for row in kept.rows] == [list(row) for row in built.rows]
        assert kept.series == built.series
        assert kept.value_format == built.value_format
        assert kept.table() == built.table()
    meetings = section_from_dict(json.loads(json.dumps(section_to_dict(_sections()["meetings"]))))
    assert meetings.charts[0].kind == "bar"
    assert meetings.charts[0].rows == _sections()["meetings"].charts[0].rows

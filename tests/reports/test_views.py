"""The report pages: archive, report page with its preview, narrative, finalize, dashboard."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.registry import Period
from reports import rules, services
from reports.models import NarrativeRevision, Report
from tests.factories import OrganisationFactory, UserFactory

from .conftest import PERIOD


def _final(chair, kind="biannual", period=PERIOD):
    report = services.report_create(kind=kind, period=period, by=chair)
    services.narrative_save(report=report, language="en", texts={"summary": "Done."}, by=chair)
    return services.report_finalize(report=report, by=chair)


def test_staff_find_final_reports_in_the_archive_but_no_drafts(period_data, client):
    final = _final(period_data.chair)
    draft = services.report_create(
        kind="biannual", period=rules.half_year(2025, 2), by=period_data.chair
    )
    client.force_login(period_data.staff)

    page = client.get(reverse("reports:list")).content.decode()

    assert final.title in page
    assert draft.title not in page
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_archive_searches_by_title_kind_and_year(period_data, client):
    _final(period_data.chair)
    _final(
        period_data.chair, kind="annual_unct", period=Period(date(2024, 1, 1), date(2024, 12, 31))
    )
    client.force_login(period_data.staff)

    def titles(**query):
        response = client.get(reverse("reports:list"), query)
        return [report.title for report in response.context["reports"]]

    assert len(titles()) == 2
    assert titles(q="progress") == ["Bi-annual progress report, January\N{EN DASH}June 2025"]
    assert titles(kind="annual_unct") == ["Contribution to the UNCT annual report, 2024"]
    assert titles(year="2024") == ["Contribution to the UNCT annual report, 2024"]
    assert titles(q="nothing like this") == []
    assert titles(q="UNCT") == ["Contribution to the UNCT annual report, 2024"]
    assert titles(q="2024") == ["Contribution to the UNCT annual report, 2024"]
    Report.objects.filter(kind="annual_unct").update(title="Our own title")
    assert titles(q="UNCT annual") == ["Our own title"]


def test_the_archive_pages_with_a_fixed_number_of_queries(
    period_data, client, django_assert_num_queries
):
    for year in range(2000, 2030):
        Report.objects.create(
            kind="biannual",
            period_start=date(year, 1, 1),
            period_end=date(year, 6, 30),
            title=f"Report {year}",
            status="final",
            finalized_at=timezone.now(),
        )
    client.force_login(period_data.staff)
    client.get(reverse("reports:list"))  # process-wide caches warm up once

    with django_assert_num_queries(6):
        response = client.get(reverse("reports:list"), {"page": 2})

    assert response.status_code == 200
    assert len(response.context["reports"]) == 10


def test_the_report_page_previews_the_compiled_sections_and_the_narrative(
    report, period_data, client
):
    services.narrative_save(
        report=report, language="en", texts={"summary": "Our summary."}, by=period_data.chair
    )
    client.force_login(period_data.chair)

    page = client.get(report.get_absolute_url()).content.decode()

    assert "Preview of the compiled sections" in page
    assert "Our summary." in page
    assert "UNNM-BH/2025/002" in page
    assert "Labour inspectors trained on forced labour indicators" in page
    assert reverse("reports:finalize", args=[report.pk]) in page
    # The sections' charts are drawn on the preview, with the charts' stylesheet.
    assert "core/charts.css" in page
    assert page.count('<figure class="chart chart-stacked_bar"') == 2
    assert page.count('<figure class="chart chart-bar"') == 1
    assert "Funding by ToR objective" in page


def test_a_co_chair_writes_the_narrative_and_makes_the_report_final(report, period_data, client):
    client.force_login(period_data.chair)
    url = reverse("reports:narrative", args=[report.pk, "en"])

    response = client.post(url, {"summary": "Written in the portal.", "highlights": ""})
    assert response.status_code == 302
    response = client.post(reverse("reports:finalize", args=[report.pk]))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "final"
    assert NarrativeRevision.objects.get().text == "Written in the portal."
    # Read-only now: no narrative form, and the page says so.
    assert client.get(url).status_code == 403
    assert "read-only" in client.get(report.get_absolute_url()).content.decode()


def test_making_a_report_final_without_a_summary_says_why(report, period_data, client):
    client.force_login(period_data.chair)

    response = client.post(reverse("reports:finalize", args=[report.pk]), follow=True)

    assert "Write at least the executive summary" in response.content.decode()
    report.refresh_from_db()
    assert report.is_draft


def test_an_unknown_language_is_a_404(report, period_data, client):
    client.force_login(period_data.chair)

    assert client.get(reverse("reports:narrative", args=[report.pk, "fr"])).status_code == 404


def test_a_wrong_period_for_the_kind_is_a_form_error(period_data, client):
    client.force_login(period_data.chair)

    response = client.post(
        reverse("reports:create"), {"kind": "biannual", "year": 2025, "period": "year"}
    )

    assert response.status_code == 400
    assert "January to June or July to December" in response.content.decode()
    assert not Report.objects.exists()


def test_the_dashboard_shows_co_chairs_the_reports_to_prepare(period_data, client):
    client.force_login(period_data.chair)

    page = client.get(reverse("core:dashboard")).content.decode()

    assert 'data-testid="reports-to-prepare"' in page
    assert rules.period_label(rules.half_year_of(timezone.localdate())) in page


def test_the_dashboard_shows_staff_the_latest_final_reports(period_data, client):
    final = _final(period_data.chair)
    client.force_login(period_data.staff)

    page = client.get(reverse("core:dashboard")).content.decode()

    assert final.title in page
    assert 'data-testid="reports-to-prepare"' not in page


def test_a_government_guest_opens_the_reports_only_once_an_update_is_shared(period_data, client):
    ministry = OrganisationFactory(acronym="MOLX", kind="government")
    guest = UserFactory(roles=["guest"], organisation=ministry)
    update = _final(period_data.chair, kind="government")
    biannual = _final(period_data.chair, period=rules.half_year(2024, 2))
    client.force_login(guest)
    assert client.get(reverse("reports:list")).status_code == 403

    services.report_share_with_guest(report=update, person=guest, by=period_data.chair)

    page = client.get(reverse("reports:list")).content.decode()
    assert update.title in page
    assert biannual.title not in page
    assert 'href="/reports/"' in client.get(reverse("core:dashboard")).content.decode()
    assert client.get(update.get_absolute_url()).status_code == 200
    assert client.get(biannual.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("days", [0, 400])
def test_submission_form_refuses_a_date_before_final_or_in_the_future(period_data, client, days):
    report = _final(period_data.chair)
    client.force_login(period_data.chair)
    day = timezone.localdate() + timedelta(days=1) if days == 0 else date(2020, 1, 1)

    response = client.post(
        reverse("reports:submit", args=[report.pk]),
        {"submitted_on": day.isoformat(), "submitted_to": "RC"},
    )

    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "final"


def test_the_report_page_keeps_its_query_count_however_many_rows(
    report, period_data, client, django_assert_num_queries
):
    from tests.factories import DeliverableFactory, WorkplanFactory

    workplan = WorkplanFactory(year=2025)
    for number in range(10, 40):
        DeliverableFactory(
            workplan=workplan, number=number, lead_agency=period_data.agencies["WHOX"]
        )
    client.force_login(period_data.chair)
    client.get(report.get_absolute_url())  # process-wide caches warm up once

    # Each installed app's section costs its own few queries (referrals: three GROUP BYs).
    with django_assert_num_queries(30):
        response = client.get(report.get_absolute_url())

    assert response.status_code == 200


def test_the_dashboard_link_preselects_the_period_to_start(period_data, client):
    client.force_login(period_data.chair)

    response = client.get(
        reverse("reports:create"), {"kind": "biannual", "year": "2024", "period": "h2"}
    )

    form = response.context["form"]
    assert (form["kind"].value(), form["year"].value(), form["period"].value()) == (
        "biannual",
        "2024",
        "h2",
    )

"""Browser journey: a co-chair compiles the bi-annual report, writes the summary and makes it
final; agency staff find it in the archive; a guest cannot open the archive.

(Generating the PDF while watching progress joins this journey when the platform's jobs land.)
"""

import pytest

from reports.models import NarrativeRevision, Report
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, co_chair, member_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_chair_compiles_and_finalizes_the_report_that_staff_then_find(browser, live_server):
    chair = co_chair(full_name="Chair Amal")
    staff = UserFactory(roles=["agency_staff"], organisation=member_agency())
    guest = UserFactory(roles=["guest"])

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, chair.email, TEST_PASSWORD)
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Kind").select_option("biannual")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Period").select_option("h1")
    page.get_by_role("button", name="Start").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is started").is_visible()
    assert page.get_by_role("heading", name="Preview of the compiled sections").is_visible()

    page.get_by_role("link", name="Narrative (English)").click()
    page.get_by_label("Executive summary").fill("The Network met twice this half-year.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The Network met twice this half-year.").is_visible()

    page.get_by_role("link", name="Make final").click()
    page.get_by_role("button", name="Make final").click()
    page.wait_for_load_state()
    assert page.get_by_text("The report is final.").is_visible()
    report = Report.objects.get()
    assert report.status == "final"
    assert NarrativeRevision.objects.get().created_by == chair
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, staff.email, TEST_PASSWORD)
    page.goto("/reports/")
    page.get_by_role("link", name=report.title).click()
    assert page.get_by_text("The Network met twice this half-year.").is_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    sign_in(page, guest.email, TEST_PASSWORD)
    assert page.get_by_role("link", name="Reports", exact=True).count() == 0
    assert page.goto("/reports/").status == 403
    assert page.goto(report.get_absolute_url()).status == 404
    context.close()

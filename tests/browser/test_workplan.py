"""Browser journey: a co-chair adds a deliverable; the lead agency's focal point marks it at risk;
it appears on her dashboard."""

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, WorkplanFactory, co_chair, focal_point, member_agency
from workplan.models import Deliverable, ProgressUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, person.email, TEST_PASSWORD)
    return context, page


def test_co_chair_adds_a_deliverable_and_the_lead_marks_it_at_risk(page, browser, live_server):
    year = timezone.localdate().year
    WorkplanFactory(year=year, title=f"Workplan {year}")
    chair = co_chair(member_agency(acronym="IOMX"), full_name="Chair Omar")
    unicef = member_agency(acronym="UNICEFX", name="Children's Fund")
    lead = focal_point(unicef, full_name="Sara Lead")

    # The co-chair adds a deliverable led by UNICEF.
    sign_in(page, chair.email, TEST_PASSWORD)
    page.goto(f"/workplan/{year}/")
    page.get_by_role("link", name="Add deliverable").click()
    page.get_by_label("Title").fill("Child-sensitive referral procedures")
    page.get_by_label("Description").fill("Guidance for social workers.")
    page.get_by_label("2. Coordination on key issues").check()
    page.get_by_label("7. Reduce vulnerabilities").check()
    page.get_by_label("Thematic area").select_option(label="Trafficking in persons")
    page.get_by_label("Lead agency").select_option(label="UNICEFX")
    page.get_by_label("Start quarter").select_option(label="Q2")
    page.get_by_label("Budget required (USD)").fill("50000")
    page.get_by_role("button", name="Save deliverable").click()
    page.wait_for_load_state()
    assert page.get_by_text("The deliverable was added.").is_visible()
    deliverable = Deliverable.objects.get(title="Child-sensitive referral procedures")
    assert deliverable.lead_agency == unicef
    assert page.url.endswith(deliverable.get_absolute_url())

    # The lead agency's focal point posts a progress update marking it at risk.
    context, lead_page = _as(browser, live_server, lead)
    try:
        lead_page.goto(deliverable.get_absolute_url())
        assert lead_page.get_by_role("link", name="Edit").count() == 0
        lead_page.get_by_label("Status").select_option(label="At risk")
        lead_page.get_by_label("Progress note").fill("The donor has not confirmed the funds.")
        lead_page.get_by_role("button", name="Post update").click()
        lead_page.wait_for_load_state()
        assert lead_page.get_by_text("The progress update was posted.").is_visible()
        assert lead_page.get_by_text("The donor has not confirmed the funds.").is_visible()

        update = ProgressUpdate.objects.get(deliverable=deliverable)
        assert (update.status_before, update.status_after, update.author) == (
            "not_started",
            "at_risk",
            lead,
        )

        # It appears on her dashboard among her agency's deliverables at risk.
        lead_page.goto("/")
        attention = lead_page.locator("#workplan-attention")
        assert attention.get_by_role(
            "link", name="Child-sensitive referral procedures"
        ).is_visible()
        assert attention.get_by_text("At risk").is_visible()
    finally:
        context.close()

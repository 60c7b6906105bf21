"""Browser journey: a written-procedure decision from opening to adoption, with a change of mind."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Decision, PositionChange
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, co_chair, focal_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# templates/decisions/_tally.html: hx-trigger="every 10s".
POLL_MS = 10_000


def _as(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, person.email, TEST_PASSWORD)
    return context, page


def _record(page, decision_url, stance, reason=""):
    page.goto(decision_url)
    page.get_by_label(stance, exact=True).check()
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.locator("#my-position button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("The position is recorded.").is_visible()


def test_co_chair_opens_focal_points_decide_and_the_decision_is_adopted(page, browser, live_server):
    chair = co_chair(full_name="Chair Amal")
    first = focal_point(full_name="Focal Beatriz")
    second = focal_point(full_name="Focal Chloe")

    # The co-chair's page runs on a clock the test can move forward (time still passes normally).
    page.clock.install()
    # The co-chair drafts and opens a written-procedure decision.
    sign_in(page, chair.email, TEST_PASSWORD)
    page.goto("/decisions/")
    page.get_by_role("link", name="Draft a decision").click()
    page.get_by_label("Title").fill("Joint statement on fair recruitment")
    page.get_by_label("Text of the decision").fill("The Network issues the annexed statement.")
    page.get_by_label("Procedure").select_option("written")
    deadline = timezone.localtime(timezone.now() + timedelta(days=5))
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Open for positions").click()
    page.get_by_role("button", name="Open for positions").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "Open"
    decision = Decision.objects.get()
    url = decision.get_absolute_url()
    assert page.get_by_text(decision.reference).first.is_visible()

    # Two focal points record their agencies' positions; the second changes hers.
    context, fp_page = _as(browser, live_server, first)
    _record(fp_page, url, "Concur")
    context.close()
    # The co-chair's open page shows it without a reload: the tally polls every 10 s. The page's
    # clock jumps to the next poll rather than the test waiting for it (the short timeout keeps
    # it so: waiting for the poll itself would fail).
    page.clock.fast_forward(POLL_MS)
    expect(page.get_by_test_id("count-concur")).to_have_text("1", timeout=POLL_MS // 2)

    context, fp_page = _as(browser, live_server, second)
    _record(fp_page, url, "Object", reason="Paragraph 3 needs rewording")
    assert fp_page.get_by_test_id("count-object").inner_text() == "1"
    _record(fp_page, url, "Concur")
    assert fp_page.get_by_test_id("count-object").inner_text() == "0"
    context.close()

    # The co-chair records her own agency's position, sees the tally complete and closes.
    _record(page, url, "Concur")
    assert page.get_by_test_id("count-concur").inner_text() == "3"
    assert page.get_by_test_id("count-missing").inner_text() == "0"
    page.get_by_role("link", name="Close and record the outcome").click()
    page.get_by_role("button", name="Close and record the outcome").click()
    page.wait_for_load_state()

    assert page.get_by_test_id("status").inner_text() == "Adopted"
    assert page.get_by_test_id("outcome").get_by_text("Adopted by full consensus").is_visible()
    history = page.get_by_test_id("history")
    assert history.get_by_text("Object → Concur").is_visible()
    decision.refresh_from_db()
    assert decision.status == "adopted"
    assert PositionChange.objects.filter(decision=decision).count() == 4

"""Rule: a form cannot be sent twice from the browser either. While a form is being sent its
submit button is disabled; whatever still gets through is refused by the token on the server."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, DeliverableFactory, focal_point, member_agency
from workplan.models import ProgressUpdate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_double_clicking_post_update_creates_one_progress_update(page):
    lead = focal_point(member_agency(acronym="UNICEFX"), full_name="Sara Lead")
    deliverable = DeliverableFactory(lead_agency=lead.organisation)
    sign_in(page, lead.email, TEST_PASSWORD)
    page.goto(deliverable.get_absolute_url())
    page.get_by_label("Progress note").fill("Field work started.")

    # Record the form's state just after it is sent; sessionStorage outlives the navigation.
    page.evaluate(
        """() => document.addEventListener("submit", (event) => {
          window.setTimeout(() => {
            const button = event.target.querySelector("button[type=submit], button:not([type])");
            sessionStorage.setItem("sending", JSON.stringify({
              disabled: button.disabled, busy: event.target.getAttribute("aria-busy"),
            }));
          }, 0);  // queued after portal.js's own (registered first)
        })"""
    )
    page.get_by_role("button", name="Post update").dblclick()
    page.wait_for_load_state()
    expect(page.get_by_text("The progress update was posted.")).to_be_visible()
    assert ProgressUpdate.objects.filter(deliverable=deliverable).count() == 1
    state = page.evaluate("() => JSON.parse(sessionStorage.getItem('sending'))")
    assert state == {"disabled": True, "busy": "true"}
    # The new page's form is usable again.
    expect(page.get_by_role("button", name="Post update")).to_be_enabled()

"""Browser journey: the co-chair records the yearly review and puts an amendment to the network."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from terms.models import Amendment, Review, TermsVersion
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, co_chair, focal_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_co_chair_reviews_the_terms_and_proposes_an_amendment(page):
    chair = co_chair(full_name="Chair Amal")
    focal_point(full_name="Focal Beatriz")
    sign_in(page, chair.email, TEST_PASSWORD)

    # The anniversary of version 1 (1 September) has passed: the dashboard asks for the review.
    page.goto("/")
    card = page.get_by_test_id("terms-review-panel")
    expect(card).to_be_visible()
    card.get_by_role("link", name="Record the review").click()
    page.get_by_label("No change needed").check()
    page.get_by_label("Note").fill("Still fit for purpose.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The review of the Terms of Reference is recorded.")).to_be_visible()
    assert Review.objects.get().outcome == "no_change"
    page.goto("/")
    expect(page.get_by_test_id("terms-review-panel")).to_have_count(0)

    # An amendment: the whole text, starting from the current one.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Terms of Reference"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of Reference")
    page.get_by_role("link", name="Draft an amendment").click()
    page.get_by_label("Title").fill("Quarterly meetings")
    text = page.get_by_label("Proposed text")
    text.fill(text.input_value().replace("Bi-monthly and as needed", "Quarterly and as needed"))
    page.get_by_role("button", name="Save the draft").click()
    diff = page.get_by_test_id("diff")
    expect(diff.locator("del")).to_contain_text("Bi-monthly")
    expect(diff.locator("ins")).to_contain_text("Quarterly")

    page.get_by_role("link", name="Put to the network").click()
    page.get_by_label("Written procedure").check()
    deadline = timezone.localtime(timezone.now() + timedelta(days=10))
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Open the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("Before the network")
    amendment = Amendment.objects.get()
    assert amendment.decision.status == "open"
    # Nothing changes until the decision is adopted.
    assert TermsVersion.objects.current().get().number == 1


def test_the_terms_read_left_to_right_on_the_arabic_page(page):
    chair = co_chair(full_name="Chair Amal", preferred_language="ar")
    sign_in(page, chair.email, TEST_PASSWORD)

    page.goto("/network/terms/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    text = page.get_by_test_id("terms-text")
    assert text.get_attribute("lang") == "en"
    assert text.evaluate("element => getComputedStyle(element).direction") == "ltr"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)

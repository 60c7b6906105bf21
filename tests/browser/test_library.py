"""Browser journey: a focal point drafts a policy brief and uploads its PDF, the co-chairs put it
in review, members comment, the network adopts it by decision, a co-chair publishes it; a staff
member then finds it in the library by its title, and a guest reads it once it is public.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from library.models import KnowledgeProduct
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, co_chair, focal_point, member_agency
from tests.library.conftest import close_decision, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Protecting migrant domestic workers"


def _page(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, person.email, TEST_PASSWORD)
    return context, page


def test_a_brief_goes_from_draft_to_publication_and_staff_find_it(browser, live_server, tmp_path):
    from decisions.services import decision_open

    chair = co_chair(full_name="Chair Amal")
    co_chair(full_name="Chair Ben")
    unhcr = member_agency(acronym="UNHCR")
    focal = focal_point(unhcr, full_name="Focal Dana")
    staff = UserFactory(roles=["agency_staff"], organisation=unhcr, full_name="Staff Eli")
    guest = UserFactory(roles=["guest"])
    brief_pdf = tmp_path / "brief.pdf"
    brief_pdf.write_bytes(pdf_bytes("Migrant domestic workers deserve a weekly rest day."))

    # The focal point drafts the brief for their agency and uploads its PDF.
    context, page = _page(browser, live_server, focal)
    page.get_by_role("link", name="Library", exact=True).click()
    page.get_by_role("link", name="New knowledge product").click()
    page.get_by_label("Kind").select_option("policy_brief")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Policy options to extend social protection.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_text("The draft is saved").is_visible()
    page.get_by_role("link", name="Upload a new version").click()
    page.get_by_label("File").set_input_files(str(brief_pdf))
    page.get_by_label("What changed").fill("First draft")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert page.get_by_text("The new version is uploaded.").is_visible()
    assert page.get_by_role("link", name="Put in review").count() == 0
    context.close()
    product = KnowledgeProduct.objects.get()
    assert product.lead_agency == unhcr and product.status == "draft"

    # A co-chair puts it in review.
    context, page = _page(browser, live_server, chair)
    page.goto(product.get_absolute_url())
    page.get_by_role("link", name="Put in review").click()
    page.get_by_label("Comments until").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Put in review").click()
    page.wait_for_load_state()
    assert page.get_by_text("The product is in review").is_visible()
    context.close()

    # Members comment.
    context, page = _page(browser, live_server, staff)
    page.goto(product.get_absolute_url())
    page.get_by_label("Your comment").fill("Please add the shelters run by the Ministry.")
    page.get_by_role("button", name="Add the comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Please add the shelters run by the Ministry.").is_visible()
    context.close()

    # The co-chair proposes it for endorsement: a draft decision is created, opened, adopted.
    context, page = _page(browser, live_server, chair)
    page.goto(product.get_absolute_url())
    page.get_by_role("link", name="Propose for endorsement by decision").click()
    page.get_by_role("button", name="Propose for endorsement").click()
    page.wait_for_load_state()
    assert "/decisions/" in page.url
    product.refresh_from_db()
    decision = decision_open(
        decision=product.endorsement_decision,
        by=chair,
        deadline=timezone.now() + timedelta(days=8),
    )
    close_decision(decision)
    page.goto(product.get_absolute_url())
    assert page.get_by_text("Endorsed", exact=True).first.is_visible()
    page.get_by_role("link", name="Publish").click()
    page.get_by_label("Public").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert page.get_by_text("The product is published.").is_visible()
    context.close()
    product.refresh_from_db()
    assert product.status == "published" and product.audience == "public"
    assert "weekly rest day" in product.file_text  # read from the PDF by the background job

    # Staff find it with the portal's search by words that are only in its PDF, and download
    # the current file.
    context, page = _page(browser, live_server, staff)
    page.goto("/")
    page.get_by_label("Search the portal").fill("weekly rest")
    page.get_by_label("Search the portal").press("Enter")
    page.wait_for_load_state()
    results = page.get_by_role("region", name="Knowledge products")
    assert results.locator("mark").first.inner_text().lower() in ("weekly", "rest")
    results.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_test_id("current-file").click()
    assert download.value.suggested_filename == "brief.pdf"
    context.close()

    # The guest reads it too, now that it is public.
    context, page = _page(browser, live_server, guest)
    page.get_by_role("link", name="Library", exact=True).click()
    assert page.get_by_role("link", name=TITLE, exact=True).is_visible()
    context.close()

"""The portal's search in a real browser: the top-bar box, the keyboard, Arabic, a phone."""

from io import StringIO

import pytest
from django.core.management import call_command

from core.seeding import DEFAULT_DEMO_PASSWORD

from .conftest import sign_in
from .test_foundation import MOBILE, no_horizontal_scroll, screenshot, switch_language

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo(settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True, stdout=StringIO())


def test_the_top_bar_search_finds_a_decision_with_the_keyboard(demo, page):
    sign_in(page, "iom.focal@example.org", DEFAULT_DEMO_PASSWORD)

    box = page.get_by_role("search").get_by_label("Search the portal")
    box.fill("recruitment")
    with page.expect_navigation():
        box.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    decisions = page.get_by_role("region", name="Decisions")
    link = decisions.get_by_role("link", name="Joint public statement on recruitment fees")
    assert decisions.locator("mark").first.inner_text().lower() == "recruitment"
    screenshot(page, "search-en-desktop")
    with page.expect_navigation():
        link.click()
    assert "/decisions/" in page.url


def test_search_in_arabic_on_a_phone(demo, page):
    sign_in(page, "undp.staff@example.org", DEFAULT_DEMO_PASSWORD)
    switch_language(page, "العربيّة")
    page.set_viewport_size(MOBILE)

    page.goto("/search/?q=recruitment")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "بحث"
    assert page.locator(".search-group mark").count() > 0
    assert no_horizontal_scroll(page)
    screenshot(page, "search-ar-mobile")

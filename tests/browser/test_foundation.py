"""The foundation in a real browser: sign in, the dashboard, Arabic right-to-left and back.

Screenshots of the dashboard (English and Arabic, desktop and mobile widths) are written to
test-artifacts/ for a person to look at; the assertions check what the screenshots show.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from core.seeding import DEFAULT_DEMO_PASSWORD

from .conftest import ARTIFACTS, sign_in

# Transactional: the live server runs in another thread. The reference data the demo relies on
# comes back after each flush through workplan's post_migrate handler.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def demo(settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True, stdout=StringIO())


def stylesheet_loaded(page, name):
    """True when a stylesheet whose URL ends with `name` is applied, with its rules parsed."""
    return page.evaluate(
        """(name) => [...document.styleSheets].some(
            (sheet) => sheet.href && sheet.href.split("?")[0].endsWith(name)
                && sheet.cssRules.length > 100)""",
        name,
    )


def switch_language(page, name):
    """Press the language switcher's button (it names each language in that language)."""
    with page.expect_navigation():
        page.locator(".language-switcher").get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_sign_in_dashboard_and_switch_to_arabic_and_back(demo, page):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    # Anonymous people are sent to sign in.
    assert "/accounts/login/" in page.url

    sign_in(page, "iom.focal@example.org", DEFAULT_DEMO_PASSWORD)

    assert page.url.endswith("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    html = page.locator("html")
    assert html.get_attribute("lang") == "en"
    assert html.get_attribute("dir") == "ltr"
    assert stylesheet_loaded(page, "bootstrap.min.css")
    assert page.get_by_role("navigation", name="Main navigation").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-en-desktop")

    switch_language(page, "العربيّة")

    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert stylesheet_loaded(page, "bootstrap.rtl.min.css")
    assert not stylesheet_loaded(page, "bootstrap.min.css")
    assert page.get_by_role("heading", level=1).inner_text().startswith("مرحبًا")
    # Right-to-left for real: the brand sits on the right of the navigation bar.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > DESKTOP["width"] / 2
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-ar-desktop")

    # The choice is the person's preferred language: it stays on the next page.
    page.goto("/")
    assert html.get_attribute("dir") == "rtl"

    page.set_viewport_size(MOBILE)
    page.goto("/")
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-ar-mobile")

    page.get_by_role("button", name="إظهار القائمة أو إخفاؤها").click()
    # Wait for the menu to finish opening: a click during Bootstrap's collapse transition can land
    # where the button was a frame earlier (seen under load in CI).
    page.locator(".navbar-collapse.collapse.show").wait_for()
    switch_language(page, "English")

    assert html.get_attribute("lang") == "en"
    assert html.get_attribute("dir") == "ltr"
    assert stylesheet_loaded(page, "bootstrap.min.css")
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-en-mobile")


def test_the_sign_in_page_in_arabic_for_anonymous_visitors(demo, page):
    page.set_viewport_size(MOBILE)
    page.goto("/accounts/login/")
    switch_language(page, "العربيّة")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert stylesheet_loaded(page, "bootstrap.rtl.min.css")
    assert page.get_by_role("button", name="تسجيل الدخول").is_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "sign-in-ar-mobile")


def test_skip_link_is_the_first_stop_and_leads_to_the_main_content(demo, page):
    sign_in(page, "rco@example.org", DEFAULT_DEMO_PASSWORD)

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("(element) => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

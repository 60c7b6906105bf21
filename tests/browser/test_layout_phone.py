"""Phones and right-to-left pages: the action first, no sideways scrolling (issue 14).

In tests/browser because the Playwright fixtures live here.
"""

import pytest

from decisions.services import position_record
from tests.factories import (
    TEST_PASSWORD,
    co_chair,
    focal_point,
    invite,
    member_agency,
    open_decision,
    scheduled_meeting,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _speak(person, language):
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    return person


def _busy_decision():
    """An open decision with a long tally and a history of changed positions (as in the demo),
    and the focal point of an agency in its electorate that has not answered yet."""
    waiting = focal_point(full_name="Layla Mansour")
    chair = co_chair(full_name="Amal Haddad")
    agencies = [member_agency(acronym=f"AG{number}") for number in range(12)]
    decision = open_decision(
        by=chair,
        title="Amendment of the Terms of Reference: meeting frequency",
        text="The Network meets every second month instead of every month.\n\n" * 6,
    )
    for agency in agencies[:8]:
        by = focal_point(agency)
        position_record(
            decision=decision,
            organisation=agency,
            stance="object",
            by=by,
            reason="Paragraph 3 needs rewording.",
        )
        position_record(decision=decision, organisation=agency, stance="concur", by=by)
    return decision, waiting


@pytest.mark.parametrize("language", ["en", "ar"])
def test_position_form_is_on_the_first_screen_of_a_phone(page, language):
    decision, waiting = _busy_decision()
    _speak(waiting, language)

    page.set_viewport_size(PHONE)
    _sign_in_any(page, waiting)
    page.goto(decision.get_absolute_url())
    assert page.evaluate("document.documentElement.lang") == language

    form = page.locator("#my-position")
    tally = page.locator("#tally-heading, [data-testid=history]").first
    form_top = form.bounding_box()["y"]
    # The agency that has not answered sees its form without scrolling; the tally and the history
    # of other agencies' positions come after it (the form used to start ~2,500 px down).
    assert form_top < PHONE["height"] - 100, form_top
    assert form_top < tally.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_form_heads_the_side_column_on_a_desktop(page):
    decision, waiting = _busy_decision()

    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in_any(page, waiting)
    page.goto(decision.get_absolute_url())
    form = page.locator("#my-position").bounding_box()
    text = page.locator("#text-heading").bounding_box()
    # Side by side: the text of the decision on the start side, the form beside it at the top.
    assert form["x"] > text["x"] + text["width"]
    assert form["y"] < 400


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_invitation_answer_comes_first_on_a_phone(page, language):
    meeting = scheduled_meeting()
    person = _speak(focal_point(), language)
    invite(meeting, person)

    page.set_viewport_size(PHONE)
    _sign_in_any(page, person)
    page.goto(meeting.get_absolute_url())
    answer = page.locator("#my-rsvp").bounding_box()
    agenda = page.locator("#agenda").bounding_box()
    assert answer["y"] < agenda["y"]
    assert answer["y"] < PHONE["height"]


def _sign_in_any(page, person):
    """Sign in whatever the page's language (the field labels are translated)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form:has(input[name=login]) button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def whole_demo(db):
    """Every app's demo data, as `manage.py seed_demo` makes it."""
    from core.registry import demo_seeders
    from core.seeding import DemoContext

    context = DemoContext(password=TEST_PASSWORD)
    for seeder in demo_seeders.in_app_order():
        seeder.seed(context)
    return context


def test_no_key_page_scrolls_sideways_on_a_phone(page, live_server, whole_demo):
    """The key pages of the README's screenshots, at 390 px, in English and Arabic: every table is
    stacked into cards, nothing is wider than the screen."""
    from django.contrib.auth import get_user_model

    from scripts.screenshots import pages

    page.set_viewport_size(PHONE)
    too_wide = []
    for language in ("en", "ar"):
        get_user_model().objects.update(preferred_language=language)
        signed_in_as = "nobody yet"
        for name, email, path in pages():
            if email != signed_in_as:
                page.context.clear_cookies()
                if email:
                    _sign_in_any(page, get_user_model().objects.get(email=email))
                else:
                    page.context.add_cookies(
                        [{"name": "django_language", "value": language, "url": live_server.url}]
                    )
                signed_in_as = email
            page.goto(path)
            assert page.evaluate("document.documentElement.lang") == language, (name, language)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((name, language, width))
    assert too_wide == []

"""Keyboard-only journeys: Tab, Shift+Tab, Enter, Space, arrow keys and typing; never the mouse.

Each step moves the focus with the keyboard until it reaches the control a person wants, and
checks that the control is visible and shows the focus ring (portal.css, "Accessibility"). A
journey fails when a control cannot be reached by Tab, or is reached without a visible focus.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.seeding import DEFAULT_DEMO_PASSWORD
from tests.accounts.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MAX_TABS = 80

# The element with the focus as a person sees it: tag, name, value, label, and whether a focus
# ring is drawn (an outline at least 2px wide, on the element or, for a hidden radio or check
# box of a button group, on its label).
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const ring = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  };
  const label = el.labels && el.labels.length ? el.labels[0] : null;
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name"),
    value: el.getAttribute("value"),
    type: el.getAttribute("type"),
    text: (el.innerText || el.value || "").trim(),
    label: label ? label.innerText.trim() : (el.getAttribute("aria-label") || ""),
    ring: ring(el) || (label !== null && ring(label)),
    visible: rect.width > 0 && rect.height > 0,
    summary: el.hasAttribute("data-error-summary"),
    outline: `${getComputedStyle(el).outlineStyle} ${getComputedStyle(el).outlineWidth}`,
    focusVisible: el.matches(":focus-visible"),
  };
}"""


def focused(page):
    return page.evaluate(_FOCUSED)


def tab_to(page, matches, *, backwards=False, what="the control"):
    """Press Tab (or Shift+Tab) until the focused element matches; returns it.

    Every element the focus passes on the way must show a focus ring.
    """
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if element is None:
            continue
        # Tab also stops on the calendar button inside a date field: the browser's own control,
        # which draws its own focus; the field itself then no longer matches :focus.
        browser_internal = element["type"] == "date" and not element["focusVisible"]
        assert element["ring"] or browser_internal, f"no visible focus ring on {element}"
        if matches(element):
            assert element["visible"], f"{what} has the focus but is not visible: {element}"
            return element
    raise AssertionError(f"{what} cannot be reached with {key} ({MAX_TABS} presses)")


def by_name(name):
    return lambda element: element["name"] == name


def by_text(text):
    return lambda element: element["text"] == text


def sign_in_with_the_keyboard(page, email, *, secret=None):
    page.goto(reverse("account_login"))
    tab_to(page, by_name("login"), what="the email field")
    page.keyboard.type(email)
    tab_to(page, by_name("password"), what="the password field")
    page.keyboard.type(DEFAULT_DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if secret:
        assert page.url.endswith(reverse("mfa_authenticate"))
        tab_to(page, by_name("code"), what="the code field")
        page.keyboard.type(totp_code(secret))
        button = tab_to(page, by_text("Sign In"), what="the Sign In button")
        assert button["tag"] == "button"
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.fixture
def keyboard_page(browser, seeded_demo):
    context = browser.new_context(base_url=seeded_demo.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # No mouse: any click in this page fails the test.
    page.add_init_script(
        "window.addEventListener('mousedown', () => console.error('MOUSE USED'), true);"
    )
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.problems = problems
    yield page
    context.close()


def test_signing_in_with_a_password_and_an_authenticator_code(keyboard_page, seeded_demo):
    page = keyboard_page
    email = "iom.referrals@example.org"

    sign_in_with_the_keyboard(page, email, secret=seeded_demo.totp_secrets[email])

    assert page.url.endswith(reverse("core:dashboard"))
    # The skip link is the first stop and leads to the main content.
    skip = tab_to(page, lambda e: e["text"] == "Skip to main content", what="the skip link")
    assert skip["tag"] == "a"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.problems == []


def test_answering_an_invitation_to_a_meeting(keyboard_page):
    from meetings.models import Meeting, Participant

    page = keyboard_page
    meeting = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).order_by("starts_at")[0]
    participant = Participant.objects.get(meeting=meeting, person__email="unhcr.focal@example.org")
    sign_in_with_the_keyboard(page, "unhcr.focal@example.org")
    page.goto(meeting.get_absolute_url())

    tab_to(page, lambda e: e["name"] == "response" and e["value"] == "alternate")
    page.keyboard.press("Enter")

    page.locator("#my-rsvp-box [role=status]").wait_for()
    participant.refresh_from_db()
    assert participant.response == "alternate"
    # htmx replaced the answer box: the focus stays on the answer given, now marked as pressed
    # (put back once the swap has settled, a moment after the new box is in the page).
    page.wait_for_function("document.activeElement && document.activeElement.value === 'alternate'")
    now = focused(page)
    assert (now["name"], now["value"], now["ring"]) == ("response", "alternate", True)
    assert page.locator("#my-rsvp-box button[value=alternate]").get_attribute("aria-pressed") == (
        "true"
    )
    # The answer is read out by the live region that stays in the page.
    expect(page.locator("#live-status")).to_contain_text("Your answer is saved")

    # Change it with the Space key, from the answer just given.
    tab_to(page, lambda e: e["value"] == "attending", backwards=True)
    page.keyboard.press("Space")
    page.locator("#my-rsvp-box button[value=attending][aria-pressed=true]").wait_for()
    participant.refresh_from_db()
    assert participant.response == "attending"
    assert page.problems == []


def test_objecting_to_a_decision_with_a_reason(keyboard_page):
    from decisions.models import Decision, Position

    page = keyboard_page
    decision = (
        Decision.objects.filter(status=Decision.Status.OPEN)
        .exclude(positions__organisation__acronym="UNHCR")
        .order_by("pk")
        .first()
    )
    sign_in_with_the_keyboard(page, "unhcr.focal@example.org")
    page.goto(decision.get_absolute_url())

    # The position is a group of radio buttons: Tab enters it, the arrow keys choose.
    tab_to(page, by_name("stance"), what="the position")
    for _ in range(3):
        if focused(page)["value"] == "object":
            break
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "object"
    # Sent without a reason: the error summary takes the focus and links to the field.
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Record position")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = focused(page)
    assert summary["summary"], f"the error summary should have the focus, not {summary}"
    assert "Reason" in page.locator("[data-error-summary]").inner_text()
    assert not Position.objects.filter(decision=decision, organisation__acronym="UNHCR").exists()

    tab_to(page, lambda e: e["tag"] == "a" and "Reason" in e["text"], what="the error link")
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "reason"
    page.keyboard.type("The budget line for shelters is not agreed by our headquarters.")
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Record position")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    position = Position.objects.get(decision=decision, organisation__acronym="UNHCR")
    assert position.stance == "object"
    assert position.reason.startswith("The budget line")
    assert page.get_by_role("status").filter(has_text=re.compile(".")).count() >= 1
    # The invalid form came back with 400 Bad Request, which the console reports.
    assert [p for p in page.problems if "status of 400" not in p] == []


def test_posting_a_workplan_progress_update(keyboard_page):
    from workplan.models import Deliverable, ProgressUpdate

    page = keyboard_page
    deliverable = (
        Deliverable.objects.filter(lead_agency__acronym="IOM", status="on_track")
        .order_by("-workplan__year", "pk")
        .first()
    )
    before = ProgressUpdate.objects.filter(deliverable=deliverable).count()
    sign_in_with_the_keyboard(page, "iom.focal@example.org")
    page.goto(deliverable.get_absolute_url())

    tab_to(page, by_text("Post a progress update"), what="the progress update link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, by_name("status_after"), what="the status")
    # A closed select changes with the arrow keys; "At risk" follows "On track".
    page.keyboard.press("ArrowDown")
    assert page.locator("select[name=status_after]").input_value() == "at_risk"
    tab_to(page, by_name("note"), what="the note")
    page.keyboard.type("The venue for the training moved; dates to be confirmed.")
    tab_to(page, lambda e: e["tag"] == "button" and e["type"] == "submit", what="the button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert ProgressUpdate.objects.filter(deliverable=deliverable).count() == before + 1
    deliverable.refresh_from_db()
    assert deliverable.status == "at_risk"
    assert page.problems == []


def test_choosing_a_meeting_in_the_decision_register(keyboard_page):
    from decisions.models import Decision

    # The demo's draft prepared for the next meeting: a co-chair sees drafts.
    decision = Decision.objects.select_related("meeting").get(
        status=Decision.Status.DRAFT, meeting__isnull=False
    )
    meeting = decision.meeting
    page = keyboard_page
    sign_in_with_the_keyboard(page, "iom.focal@example.org")
    page.goto(reverse("decisions:list"))

    # The meeting is typed: the meetings it matches come as links right after the field.
    tab_to(page, by_name("meeting_q"), what="the meeting field")
    page.keyboard.type(meeting.title)
    page.locator("#meeting-suggestions a").first.wait_for()
    tab_to(
        page,
        lambda e: e["tag"] == "a" and e["text"].startswith(meeting.display_title),
        what="the meeting's suggestion",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert f"meeting={meeting.pk}" in page.url
    expect(page.locator("#id_meeting_q")).to_have_value(str(meeting))
    expect(page.get_by_role("link", name=decision.title)).to_be_visible()
    assert page.problems == []

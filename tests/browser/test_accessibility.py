"""axe-core on every key page, in English and in Arabic, as the role who uses it.

The demo network is seeded once for the module (seeding it takes most of a minute) and served by
a live server of this module; each role signs in once and its browser context is reused. A test
fails on any serious or critical violation of the WCAG 2.2 AA rules, listing rule, element and
what to do. The rest of the structure a page owes its readers (one h1, landmarks, a skip link
that reaches the main content) is checked on the same pages.
"""

import pytest
from django.urls import reverse

from core.seeding import DEFAULT_DEMO_PASSWORD
from tests.accounts.conftest import totp_code

from .accessibility import assert_no_serious_violations

# The tests themselves never write: the module's fixture seeds (and commits) the demo, and the
# live server commits what the pages do. The mark sets up the test database.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["en", "ar"]
LANGUAGE_NAMES = {"en": "English", "ar": "العربيّة"}
ROLES = {
    "co-chair": "iom.focal@example.org",
    "focal point": "unhcr.focal@example.org",
    "rco": "rco@example.org",
    "referral officer": "iom.referrals@example.org",
}


def _urls():
    """The key pages: name → (role, address), found in the seeded demo."""
    from decisions.models import Decision
    from meetings.models import Meeting, Minutes
    from members.models import Organisation
    from referrals.models import Referral
    from reports.models import Report
    from workplan.models import Deliverable, Workplan

    iom = Organisation.objects.get(acronym="IOM")
    meeting = Meeting.objects.filter(status=Meeting.Status.SCHEDULED).order_by("starts_at").first()
    minutes = Minutes.objects.select_related("meeting").order_by("-meeting__starts_at").first()
    decision = Decision.objects.filter(status=Decision.Status.OPEN).order_by("pk").first()
    workplan = Workplan.objects.order_by("-year").first()
    deliverable = Deliverable.objects.filter(workplan=workplan, lead_agency=iom).first()
    referral = Referral.objects.filter(status=Referral.Status.ACCEPTED).first()
    report = Report.objects.order_by("pk").first()
    return {
        "dashboard": ("co-chair", reverse("core:dashboard")),
        "directory": ("rco", reverse("members:directory")),
        "organisation": ("rco", reverse("members:organisation", args=[iom.pk])),
        "meetings": ("co-chair", reverse("meetings:list")),
        "meeting": ("focal point", meeting.get_absolute_url()),
        "meeting (secretariat)": ("co-chair", meeting.get_absolute_url()),
        "agenda": ("co-chair", reverse("meetings:agenda_print", args=[meeting.pk])),
        "minutes": ("co-chair", reverse("meetings:minutes", args=[minutes.meeting.pk])),
        "decisions register": ("focal point", reverse("decisions:list")),
        "decision": ("focal point", decision.get_absolute_url()),
        "workplan": ("co-chair", reverse("workplan:detail", args=[workplan.year])),
        "workplan summary": ("co-chair", reverse("workplan:summary", args=[workplan.year])),
        "deliverable": ("co-chair", deliverable.get_absolute_url()),
        "referrals": ("referral officer", reverse("referrals:index")),
        "referral": ("referral officer", referral.get_absolute_url()),
        "reports": ("co-chair", reverse("reports:list")),
        "report": ("co-chair", report.get_absolute_url()),
    }


KEY_PAGES = [
    "dashboard",
    "directory",
    "organisation",
    "meetings",
    "meeting",
    "meeting (secretariat)",
    "agenda",
    "minutes",
    "decisions register",
    "decision",
    "workplan",
    "workplan summary",
    "deliverable",
    "referrals",
    "referral",
    "reports",
    "report",
]
SIGN_IN_PAGES = ["sign in", "password reset", "two-factor code"]


class Site:
    """The seeded demo behind a live server, and one signed-in browser context per role."""

    def __init__(self, browser, url):
        self.browser = browser
        self.url = url
        self.urls = _urls()
        self.contexts = {}
        self.totp_secret = None

    def new_context(self, language):
        context = self.browser.new_context(base_url=self.url, locale="en-GB")
        # Anonymous visitors read the language of the cookie the language switcher sets.
        context.add_cookies([{"name": "django_language", "value": language, "url": self.url}])
        return context

    def page_of(self, role, language):
        """A page of the role's context, signed in once; the person reads `language`."""
        email = ROLES[role]
        if role not in self.contexts:
            context = self.new_context(language)
            page = context.new_page()
            page.set_default_timeout(15_000)
            _password_sign_in(page, email)
            if role == "referral officer":
                page.locator("input[name=code]").fill(totp_code(self.totp_secret))
                page.locator("form:has(input[name=code]) button[type=submit]").click()
                page.wait_for_load_state()
            assert "/accounts/" not in page.url, f"{email} could not sign in ({page.url})"
            self.contexts[role] = (context, page)
        page = self.contexts[role][1]
        if page.locator("html").get_attribute("lang") != language:
            # A signed-in person's language is their preference, kept by the switcher.
            with page.expect_navigation():
                page.locator(".language-switcher").get_by_role(
                    "button", name=LANGUAGE_NAMES[language], exact=True
                ).click()
        return page

    def close(self):
        for context, _page in self.contexts.values():
            context.close()


def _password_sign_in(page, email):
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_DEMO_PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def site(seeded_demo, browser):
    site = Site(browser, seeded_demo.url)
    site.totp_secret = seeded_demo.totp_secrets[ROLES["referral officer"]]
    yield site
    site.close()


@pytest.mark.parametrize("name", KEY_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_key_page_has_no_serious_accessibility_violation(site, name, language):
    role, url = site.urls[name]
    page = site.page_of(role, language)
    response = page.goto(url)
    assert response.status == 200, f"{name}: {response.status}"
    assert page.locator("html").get_attribute("lang") == language

    assert_no_serious_violations(page, f"{name} as {role} in {language}")
    assert page.locator("h1").count() == 1, f"{name}: a page has exactly one h1"
    assert page.locator("main#main").count() == 1
    assert page.locator("header nav").count() >= 1


@pytest.mark.parametrize("name", SIGN_IN_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_page_has_no_serious_accessibility_violation(site, name, language):
    context = site.new_context(language)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        if name == "sign in":
            page.goto(reverse("account_login"))
        elif name == "password reset":
            page.goto(reverse("account_reset_password"))
        else:
            _password_sign_in(page, ROLES["referral officer"])
            assert page.url.endswith(reverse("mfa_authenticate"))
        assert page.locator("html").get_attribute("lang") == language

        assert_no_serious_violations(page, f"{name} in {language}")
        assert page.locator("h1").count() == 1, f"{name}: a page has exactly one h1"
    finally:
        context.close()


def test_an_invalid_sign_in_has_no_serious_accessibility_violation(site):
    context = site.new_context("en")
    try:
        page = context.new_page()
        page.goto(reverse("account_login"))
        page.locator("input[name=login]").fill("nobody@example.org")
        page.locator("input[name=password]").fill("wrong password")
        page.locator("form:has(input[name=login]) button[type=submit]").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").count() >= 1
        # The error summary has the focus: a screen reader starts from the problem.
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")

        assert_no_serious_violations(page, "the sign-in page with an error")
    finally:
        context.close()

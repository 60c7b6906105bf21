"""Two-factor authentication in a real browser (Debian's chromium), under the real CSP.

Sets up an authenticator app through the pages a person uses, signs out, signs in with a code;
no page may log a CSP violation or a console error on the way.
"""

import re

import pytest
from django.urls import reverse

from members.roles import Role
from tests.accounts.conftest import totp_code
from tests.factories import TEST_PASSWORD, UserFactory

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def watched_page(page):
    """The page, recording console errors and CSP violations."""
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.problems = problems
    return page


def test_setting_up_totp_and_signing_in_with_a_code(watched_page, settings):
    settings.MFA_REQUIRED_FOR_ROLES = ["referral_officer"]
    person = UserFactory(
        email="officer@example.org", full_name="Omar Officer", roles=[Role.REFERRAL_OFFICER]
    )
    tab = watched_page

    sign_in(tab, person.email, TEST_PASSWORD)
    # The role requires two-factor: allauth first asks for the password again.
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Confirm").click()
    tab.wait_for_url(re.compile(re.escape(reverse("mfa_activate_totp"))))
    assert tab.get_by_role("heading", name="Set up two-factor authentication").is_visible()
    assert tab.locator("img.totp-qr").evaluate("img => img.naturalWidth > 0")
    secret = tab.get_by_label("Authenticator secret").input_value()

    tab.get_by_label("Authenticator code").fill(totp_code(secret))
    tab.get_by_role("button", name="Activate").click()

    tab.wait_for_url(re.compile(re.escape(reverse("mfa_view_recovery_codes"))))
    codes = tab.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    tab.goto(reverse("core:dashboard"))
    assert tab.url.endswith(reverse("core:dashboard"))

    tab.goto(reverse("account_logout"))
    tab.get_by_role("button", name="Sign Out").click()
    sign_in(tab, person.email, TEST_PASSWORD)
    assert tab.url.endswith(reverse("mfa_authenticate"))
    tab.get_by_label("Code").fill(totp_code(secret, periods_ago=1))
    tab.get_by_role("button", name="Sign In").click()
    tab.wait_for_load_state()

    assert tab.url.endswith(reverse("core:dashboard"))
    assert tab.problems == []

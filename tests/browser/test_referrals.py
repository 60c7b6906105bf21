"""Browser journey: IOM's referral officer refers a case to UNHCR with the person's consent;
UNHCR's officer acknowledges, accepts and closes it with an outcome; a co-chair cannot open it;
the referring officer sees the feedback. Officers sign in with password and authenticator code."""

import re

import pytest
from django.urls import reverse

from referrals.models import Referral
from tests.accounts.conftest import totp_code
from tests.browser.conftest import sign_in
from tests.referrals.conftest import referral_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSON = "Ilsabet Marrowgate"  # fictional


def _as(browser, live_server, world, key, secret=None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, world.users[key].email, world.password)
    if secret:
        assert page.url.endswith(reverse("mfa_authenticate"))
        page.get_by_label("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
    return context, page


def test_iom_refers_a_case_to_unhcr_which_handles_it_to_the_end(browser, live_server, demo_world):
    world = referral_world(demo_world)
    secrets = world.totp_secrets

    # IOM's officer refers the case and records consent, then sends it.
    context, iom = _as(browser, live_server, world, "iom_referrals", secrets["iom_referrals"])
    iom.goto(reverse("referrals:index"))
    iom.get_by_role("link", name="Refer a case").click()
    iom.get_by_label("Referring organisation").select_option(label="IOM")
    iom.get_by_label("Refer to").select_option(label="UNHCR")
    iom.get_by_label("Urgency").select_option(label="Emergency")
    iom.get_by_label("Protection", exact=True).check()
    iom.get_by_label("Name or alias").fill(PERSON)
    iom.get_by_label("Year of birth").fill("1994")
    iom.get_by_label("Nationality").fill("Fictionland")
    iom.get_by_label("Short case summary").fill("Needs a safe place tonight.")
    iom.get_by_role("button", name="Save draft").click()
    iom.wait_for_url(re.compile(r"/referrals/R-\w+/consent/$"))
    referral = Referral.objects.get()

    iom.get_by_label("Purpose").fill("Protection and shelter assessment")
    for category in ["Name or alias", "Sex, age, nationality and languages", "Case summary"]:
        iom.get_by_label(category).check()
    iom.get_by_label("How").select_option(label="Verbal")
    iom.get_by_label("In which language").fill("English")
    iom.get_by_role("button", name="Record consent").click()
    iom.wait_for_url(re.compile(re.escape(referral.get_absolute_url()) + "$"))
    assert iom.get_by_text("Consent recorded.").is_visible()
    iom.get_by_role("button", name="Send", exact=True).click()
    iom.wait_for_load_state()
    assert iom.locator("#referral-status").inner_text() == "Sent"

    # UNHCR's officer sees the consented data, acknowledges, accepts and closes it.
    context2, unhcr = _as(
        browser, live_server, world, "unhcr_referrals", secrets["unhcr_referrals"]
    )
    try:
        unhcr.goto(reverse("referrals:index") + "?box=incoming")
        unhcr.get_by_role("link", name=referral.reference).click()
        assert unhcr.get_by_text(PERSON).is_visible()
        for button in ["Acknowledge", "Accept"]:
            unhcr.get_by_role("button", name=button, exact=True).click()
            unhcr.wait_for_load_state()
        assert unhcr.locator("#referral-status").inner_text() == "Accepted"
        unhcr.get_by_label("Outcome: services provided, or why not").fill(
            "Placed in a shelter; legal counselling given."
        )
        unhcr.locator("button[data-action=close]").click()
        unhcr.wait_for_load_state()
        assert unhcr.locator("#referral-status").inner_text() == "Closed"
    finally:
        context2.close()

    # A co-chair (ILO's focal point) cannot open it.
    context3, chair = _as(browser, live_server, world, "ilo_focal")
    try:
        response = chair.goto(referral.get_absolute_url())
        assert response.status == 404
        assert PERSON not in chair.content()
    finally:
        context3.close()

    # The referring officer sees the feedback.
    try:
        iom.goto(referral.get_absolute_url())
        assert iom.locator("#referral-status").inner_text() == "Closed"
        assert "Placed in a shelter" in iom.locator("#referral-outcome").inner_text()
    finally:
        context.close()

"""The invitation journey in a real browser: the RCO invites, the invitee follows the link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Appointment
from members.roles import Role, roles_of
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, UserFactory, member_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_rco_invites_a_focal_point_who_accepts_from_the_emailed_link(
    browser, page, live_server, settings
):
    # Links in emails come from PORTAL_URL: here, the address the test server listens on.
    settings.PORTAL_URL = live_server.url
    agency = member_agency(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    UserFactory(email="rco@example.org", roles=[Role.RCO_ADMIN], full_name="Rania Haddad")

    sign_in(page, "rco@example.org", TEST_PASSWORD)
    page.goto("/members/invitations/new/")
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_label("Organisation").select_option(
        label="UNODC — United Nations Office on Drugs and Crime"
    )
    page.get_by_label("Role").select_option(label="Focal point")
    expect(page.get_by_label("Participation level")).to_be_visible()
    page.get_by_label("Participation level").select_option(label="Representative")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation was sent to nadia@example.org.")).to_be_visible()
    expect(page.get_by_role("cell", name="nadia@example.org", exact=True)).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/members/invitations/accept/\S+/", mail.outbox[0].body).group(0)

    invitee = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    invitee.goto(link)
    expect(invitee.get_by_text("United Nations Office on Drugs and Crime (UNODC)")).to_be_visible()
    invitee.get_by_label("Full name").fill("Nadia Karim")
    invitee.locator("input[name=password1]").fill("Solid-Pass-2026!")
    invitee.locator("input[name=password2]").fill("Solid-Pass-2026!")
    invitee.get_by_role("button", name="Create my account").click()

    expect(
        invitee.get_by_text("Welcome to the portal. You are now focal point of UNODC.")
    ).to_be_visible()
    expect(invitee.get_by_role("button", name="Nadia")).to_be_visible()
    invitee.goto("/members/")
    row = invitee.get_by_role("row").filter(has_text="UNODC")
    expect(row).to_contain_text("Nadia Karim")

    appointment = Appointment.objects.active().get(organisation=agency, kind="focal_point")
    assert appointment.person.email == "nadia@example.org"
    assert appointment.level == "representative"
    assert roles_of(appointment.person) == {Role.FOCAL_POINT}

    # The link is single-use: a second visit shows a clear page and grants nothing.
    response = invitee.goto(link)
    assert response.status == 410
    expect(invitee.get_by_role("heading", name="This invitation has been used")).to_be_visible()

    # The RCO sees it accepted.
    page.goto("/members/invitations/?status=accepted")
    expect(page.get_by_role("cell", name="nadia@example.org", exact=True)).to_be_visible()
    invitee.context.close()

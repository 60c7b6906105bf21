"""Only the referral officers of the two organisations see a referral: every referral URL by every
demo account and a third agency's officer. Everyone else gets 404, whoever they are."""

import pytest
from django.urls import reverse

from referrals.models import AccessLogEntry, Referral
from referrals.services import new_reference
from tests.conftest import DEMO_USERS

from .conftest import FICTIONAL_NAME, make_referral

pytestmark = pytest.mark.django_db

READ_PAGES = ["detail", "messages", "correct", "erase", "access_log"]
WRITE_PAGES = [
    ("messages", {"body": "Hello"}),
    ("correct", {"full_name": "Changed"}),
    ("erase", {}),
    ("consent_withdraw", {}),
]
EVERYONE = [*DEMO_USERS, "unicef_referrals"]
SIDES = {"iom_referrals", "unhcr_referrals"}


@pytest.mark.parametrize("page", READ_PAGES)
def test_only_the_two_sides_open_a_referral_page(page, rworld, client):
    referral = make_referral(rworld)
    url = reverse(f"referrals:{page}", kwargs={"reference": referral.reference})
    for key in EVERYONE:
        client.force_login(rworld.users[key])
        response = client.get(url)
        expected = 200 if key in SIDES else 404
        assert response.status_code == expected, (key, page, response.status_code)
        if key not in SIDES:
            assert FICTIONAL_NAME not in response.content.decode()


def test_others_cannot_change_a_referral(rworld, client):
    referral = make_referral(rworld)
    outsiders = [key for key in EVERYONE if key not in SIDES]
    for page, data in WRITE_PAGES:
        url = reverse(f"referrals:{page}", kwargs={"reference": referral.reference})
        for key in outsiders:
            client.force_login(rworld.users[key])
            assert client.post(url, data).status_code == 404, (key, page)
    for action in ["acknowledge", "accept", "withdraw", "close", "decline"]:
        url = reverse(
            "referrals:transition", kwargs={"reference": referral.reference, "action": action}
        )
        for key in outsiders:
            client.force_login(rworld.users[key])
            assert client.post(url, {"reason": "x"}).status_code == 404, (key, action)
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert referral.full_name == FICTIONAL_NAME
    assert not referral.messages.exists()


def test_the_receiving_side_does_not_see_a_draft(rworld, client):
    draft = make_referral(rworld, consent=False, send=False)
    client.force_login(rworld.users["unhcr_referrals"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(rworld.users["iom_referrals"])
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_guessed_references_and_ids_give_nothing(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["unhcr_referrals"])
    for guess in [new_reference(), str(referral.pk), referral.reference.lower(), "R-", "1"]:
        assert client.get(f"/referrals/{guess}/").status_code == 404, guess
    # References are random, not a sequence.
    second = make_referral(rworld, name="Other Person")
    assert referral.reference[2:] != second.reference[2:]
    assert referral.get_absolute_url() == f"/referrals/{referral.reference}/"


def test_an_ended_appointment_ends_access_at_once(rworld, client):
    from referrals.models import ReferralOfficerAppointment
    from referrals.services import officer_end

    referral = make_referral(rworld)
    appointment = ReferralOfficerAppointment.objects.get(person=rworld.users["unhcr_referrals"])
    officer_end(appointment=appointment, by=rworld.users["rco"])
    client.force_login(rworld.users["unhcr_referrals"])
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert client.get(reverse("referrals:index")).status_code == 403


def test_the_list_shows_only_the_two_sides_referrals(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["unicef_referrals"])
    response = client.get(reverse("referrals:index"))
    assert response.status_code == 200
    assert referral.reference not in response.content.decode()
    client.force_login(rworld.users["unhcr_referrals"])
    assert referral.reference in client.get(reverse("referrals:index")).content.decode()
    assert Referral.objects.visible_to(rworld.users["admin"]).count() == 0
    assert Referral.objects.visible_to(rworld.users["rco"]).count() == 0


def test_the_admin_does_not_offer_referrals(rworld, client):
    from django.contrib import admin

    from referrals.models import Consent, ReferralCorrection, ReferralMessage

    for model in (Referral, Consent, ReferralMessage, ReferralCorrection, AccessLogEntry):
        assert not admin.site.is_registered(model)


def test_only_the_referring_side_opens_the_consent_form(rworld, client):
    referral = make_referral(rworld)
    url = reverse("referrals:consent", args=[referral.reference])
    client.force_login(rworld.users["unhcr_referrals"])
    assert client.get(url).status_code == 404
    client.force_login(rworld.users["iom_referrals"])
    assert client.get(url).status_code == 200

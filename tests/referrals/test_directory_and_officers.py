"""The service directory (members read; own organisation's focal point or officer edits; co-chairs
edit all), referral-officer appointments (the RCO, or the agency's own focal point), corrections
limited to what one may see, and the thread hidden from the receiving side without consent."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from referrals import services
from referrals.models import ReferralOfficerAppointment, ServiceOffer
from tests.factories import UserFactory

from .conftest import make_referral

pytestmark = pytest.mark.django_db


def test_members_read_the_directory(rworld, client):
    client.force_login(rworld.users["undp_staff"])
    page = client.get(reverse("referrals:services")).content.decode()
    assert "UNHCR" in page and "Protection" in page
    client.force_login(rworld.users["guest"])
    assert client.get(reverse("referrals:services")).status_code == 403


def test_a_focal_point_edits_only_its_own_organisations_services(rworld, client):
    unicef_focal = rworld.users["unicef_focal"]
    services.service_save(
        organisation=rworld.organisation("UNICEF"), kind="health", by=unicef_focal
    )
    with pytest.raises(DomainError):
        services.service_save(
            organisation=rworld.organisation("UNHCR"), kind="health", by=unicef_focal
        )
    offer = ServiceOffer.objects.get(organisation=rworld.organisation("UNHCR"), kind="protection")
    client.force_login(unicef_focal)
    assert client.get(reverse("referrals:service_edit", args=[offer.pk])).status_code == 403
    # A co-chair edits any organisation's entry.
    client.force_login(rworld.users["ilo_focal"])
    response = client.post(
        reverse("referrals:service_edit", args=[offer.pk]),
        {"organisation": offer.organisation_id, "kind": "protection", "response_time": "1 day"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.response_time == "1 day"


def test_a_service_is_listed_once_per_organisation(rworld):
    with pytest.raises(DomainError):
        services.service_save(
            organisation=rworld.organisation("UNHCR"),
            kind="protection",
            by=rworld.users["unhcr_focal"],
        )


def test_officers_are_appointed_by_the_rco_or_their_own_focal_point(rworld):
    who = rworld.organisation("WHO")
    person = UserFactory(organisation=who)
    with pytest.raises(DomainError):
        services.officer_appoint(organisation=who, person=person, by=rworld.users["unicef_focal"])
    with pytest.raises(DomainError):  # an alternate is not the focal point
        services.officer_appoint(organisation=who, person=person, by=rworld.users["who_alternate"])
    with pytest.raises(DomainError):  # the person must belong to the organisation
        services.officer_appoint(
            organisation=rworld.organisation("UNICEF"), person=person, by=rworld.users["rco"]
        )
    appointment = services.officer_appoint(organisation=who, person=person, by=rworld.users["rco"])
    assert appointment.is_active()
    assert person.groups.filter(name="referral_officer").exists()
    unicef = rworld.organisation("UNICEF")
    colleague = UserFactory(organisation=unicef)
    services.officer_appoint(organisation=unicef, person=colleague, by=rworld.users["unicef_focal"])
    assert ReferralOfficerAppointment.objects.active().filter(person=colleague).exists()


def test_the_receiving_side_corrects_only_what_it_may_see(rworld):
    referral = make_referral(rworld, consent=["demographics"])
    unhcr = rworld.users["unhcr_referrals"]
    with pytest.raises(DomainError):
        services.referral_correct(referral=referral, changes={"full_name": "X"}, by=unhcr)
    services.referral_correct(referral=referral, changes={"languages": "Volapük"}, by=unhcr)
    referral.refresh_from_db()
    assert referral.languages == "Volapük"


def test_the_thread_is_hidden_from_the_receiving_side_without_consent(rworld, client):
    referral = make_referral(rworld)
    services.message_post(referral=referral, body="Secret detail", by=rworld.users["iom_referrals"])
    services.consent_withdraw(referral=referral, by=rworld.users["iom_referrals"])
    client.force_login(rworld.users["unhcr_referrals"])
    for url in [
        referral.get_absolute_url(),
        reverse("referrals:messages", args=[referral.reference]),
    ]:
        page = client.get(url).content.decode()
        assert "Secret detail" not in page
        assert 'id="thread-hidden"' in page
    client.force_login(rworld.users["iom_referrals"])
    assert "Secret detail" in client.get(referral.get_absolute_url()).content.decode()


def test_detail_page_queries_are_bounded(rworld, client, django_assert_num_queries):
    referral = make_referral(rworld)
    services.message_post(referral=referral, body="Message 0", by=rworld.users["iom_referrals"])
    client.force_login(rworld.users["unhcr_referrals"])
    client.get(referral.get_absolute_url())  # process-wide caches warm up once
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(referral.get_absolute_url())
    for number in range(1, 30):
        services.message_post(
            referral=referral, body=f"Message {number}", by=rworld.users["iom_referrals"]
        )
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(referral.get_absolute_url())
    assert response.content.decode().count("Message ") >= 30


# Measured, the same with 1 and with 30 messages (the page's read is logged: one INSERT).
DETAIL_QUERIES = 9


def test_correction_history_shows_only_fields_the_reader_may_see(rworld, client):
    referral = make_referral(rworld, consent=["demographics"])
    services.referral_correct(
        referral=referral, changes={"full_name": "Renamed"}, by=rworld.users["iom_referrals"]
    )
    client.force_login(rworld.users["unhcr_referrals"])
    page = client.get(reverse("referrals:correct", args=[referral.reference])).content.decode()
    assert "Zephyrine" not in page and "Renamed" not in page
    client.force_login(rworld.users["iom_referrals"])
    page = client.get(reverse("referrals:correct", args=[referral.reference])).content.decode()
    assert "Zephyrine Quillfeather" in page


def test_expired_consent_cuts_the_receiving_side(rworld, client):
    from datetime import timedelta

    from django.utils import timezone

    referral = make_referral(rworld)
    consent = referral.consent
    consent.obtained_on = timezone.localdate() - timedelta(days=10)
    consent.expires_on = timezone.localdate() - timedelta(days=1)
    consent.save()
    client.force_login(rworld.users["unhcr_referrals"])
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Zephyrine" not in page and "Fictionland" not in page

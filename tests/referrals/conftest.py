"""The referrals world: the demo members, IOM's and UNHCR's officers appointed (with an
authenticator app, since referral officers need one), a third agency's officer (UNICEF), and
the service directory."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from members.roles import forget_roles
from referrals import services
from referrals.models import ServiceOffer
from referrals.querysets import forget_officer_organisations
from tests.factories import UserFactory

FICTIONAL_NAME = "Zephyrine Quillfeather"


def give_totp(user):
    """An authenticator app for this person; returns its secret (for signing in with a code)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def referral_world(world):
    """Add the referral officers and services to a demo world (idempotent per world)."""
    if getattr(world, "referrals_ready", False):
        return world
    rco = world.users["rco"]
    unicef = world.organisation("UNICEF")
    third = UserFactory(email="unicef.referrals@example.org", organisation=unicef)
    world.users["unicef_referrals"] = third
    world.totp_secrets = {}
    for key, acronym in (
        ("iom_referrals", "IOM"),
        ("unhcr_referrals", "UNHCR"),
        ("unicef_referrals", "UNICEF"),
    ):
        person = world.users[key]
        services.officer_appoint(
            organisation=world.organisation(acronym),
            person=person,
            start_date=timezone.localdate(),
            by=rco,
        )
        world.totp_secrets[key] = give_totp(person)
        forget_roles(person)
        forget_officer_organisations(person)
    for acronym, kind in (
        ("UNHCR", "protection"),
        ("UNHCR", "legal_aid"),
        ("IOM", "shelter"),
        ("UNICEF", "psychosocial"),
    ):
        ServiceOffer.objects.get_or_create(organisation=world.organisation(acronym), kind=kind)
    world.referrals_ready = True
    return world


def make_referral(world, *, name=FICTIONAL_NAME, year="1991", consent=True, send=True, **kwargs):
    """A referral from IOM to UNHCR (draft, or sent with consent to every category)."""
    referral_world(world)
    iom = world.users["iom_referrals"]
    referral = services.referral_create(
        from_organisation=world.organisation("IOM"),
        to_organisation=world.organisation("UNHCR"),
        urgency=kwargs.pop("urgency", "high"),
        services=kwargs.pop("services", ["protection"]),
        by=iom,
        full_name=name,
        sex="Female",
        year_of_birth=year,
        nationality="Fictionland",
        languages="Esperanto",
        contact="+000 5550 1234",
        summary="Needs protection after leaving an abusive employer.",
        **kwargs,
    )
    if consent:
        services.consent_record(
            referral=referral,
            purpose="Protection assessment",
            categories=consent
            if isinstance(consent, list)
            else ["identity", "demographics", "contact", "case", "documents"],
            obtained_on=timezone.localdate(),
            method="written",
            language="Esperanto",
            by=iom,
        )
    if send:
        services.referral_transition(referral=referral, action="send", by=iom)
    referral.refresh_from_db()
    return referral


@pytest.fixture
def rworld(demo_world):
    return referral_world(demo_world)

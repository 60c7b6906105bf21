"""Demo referrals between IOM and UNHCR in every state, about fictional people only."""

from datetime import timedelta

from .models import Referral, ReferralOfficerAppointment, ServiceOffer
from .services import (
    consent_record,
    consent_withdraw,
    message_post,
    referral_create,
    referral_transition,
)

OFFICERS = [("IOM", "iom.referrals@example.org"), ("UNHCR", "unhcr.referrals@example.org")]
SERVICES = [
    ("IOM", "return_reintegration", "Migrants wishing to return home", "Arabic, English, Hindi"),
    ("IOM", "shelter", "Victims of trafficking", "Arabic, English, Tagalog"),
    ("IOM", "health", "Migrants in an irregular situation", "Arabic, English"),
    ("UNHCR", "protection", "Asylum seekers and refugees", "Arabic, English, French"),
    ("UNHCR", "legal_aid", "Asylum seekers and refugees", "Arabic, English"),
    ("UNHCR", "documentation", "People at risk of statelessness", "Arabic, English"),
    ("ILO", "labour_complaints", "Workers with a labour dispute", "Arabic, English, Urdu"),
    ("UNICEF", "psychosocial", "Children and families", "Arabic, English"),
]
# Fictional people (invented names), the state each referral reaches, and its direction.
CASES = [
    ("Demo Person Alpha", "1990", "draft", "IOM", "UNHCR", ["protection"]),
    ("Demo Person Bravo", "1985", "sent", "IOM", "UNHCR", ["legal_aid"]),
    ("Demo Person Charlie", "2001", "acknowledged", "UNHCR", "IOM", ["shelter"]),
    ("Demo Person Delta", "1978", "accepted", "IOM", "UNHCR", ["documentation"]),
    ("Demo Person Echo", "1995", "declined", "UNHCR", "IOM", ["health"]),
    ("Demo Person Foxtrot", "1988", "closed", "IOM", "UNHCR", ["protection", "legal_aid"]),
    ("Demo Person Golf", "1999", "withdrawn", "UNHCR", "IOM", ["return_reintegration"]),
]
STEPS = {
    "draft": [],
    "sent": ["send"],
    "acknowledged": ["send", "acknowledge"],
    "accepted": ["send", "acknowledge", "accept"],
    "declined": ["send", "acknowledge", "decline"],
    "closed": ["send", "acknowledge", "accept", "close"],
    "withdrawn": ["send", "withdraw"],
}


def seed(context):
    rco = context.people.get("rco@example.org")
    for acronym, email in OFFICERS:
        person = context.people.get(email)
        organisation = context.organisations.get(acronym)
        if person is None or organisation is None:
            continue
        if not ReferralOfficerAppointment.objects.active().filter(person=person).exists():
            from .services import officer_appoint

            officer_appoint(
                organisation=organisation,
                person=person,
                start_date=context.today - timedelta(days=180),
                by=rco,
            )
    for acronym, kind, eligibility, languages in SERVICES:
        organisation = context.organisations.get(acronym)
        if (
            organisation is None
            or ServiceOffer.objects.filter(organisation=organisation, kind=kind).exists()
        ):
            continue
        ServiceOffer.objects.create(
            organisation=organisation,
            kind=kind,
            eligibility=eligibility,
            languages=languages,
            how_to_refer="Through the portal; call the referral officer for emergencies.",
            response_time="2 working days",
        )
    if Referral.objects.exists():
        context.log.append("Referrals: already seeded, nothing changed.")
        return
    officers = {
        acronym: context.people[email] for acronym, email in OFFICERS if email in context.people
    }
    for name, year, state, sender, receiver, services in CASES:
        by = officers[sender]
        referral = referral_create(
            from_organisation=context.organisations[sender],
            to_organisation=context.organisations[receiver],
            urgency="high" if state in ("sent", "acknowledged") else "normal",
            services=services,
            by=by,
            full_name=name,
            sex="Female" if year < "1992" else "Male",
            year_of_birth=year,
            nationality="Fictional",
            languages="English",
            contact="+000 0000 0000",
            summary="Fictional case for the demonstration.",
        )
        consent_record(
            referral=referral,
            purpose="Referral for the services requested.",
            categories=["identity", "demographics", "contact", "case"],
            obtained_on=context.today,
            method="written",
            language="English",
            by=by,
        )
        for action in STEPS[state]:
            side = officers[sender] if action in ("send", "withdraw") else officers[receiver]
            reason = {"decline": "Outside our mandate.", "close": "Services provided."}.get(
                action, ""
            )
            referral_transition(referral=referral, action=action, by=side, reason=reason)
        if state in ("accepted", "closed"):
            message_post(referral=referral, body="Appointment arranged.", by=officers[receiver])
    # One referral whose consent was withdrawn: the receiving side sees no personal data.
    bravo = Referral.objects.filter(status="sent").first()
    if bravo is not None:
        consent_withdraw(referral=bravo, by=officers["IOM"])
    context.log.append(
        f"Referrals: {Referral.objects.count()} between IOM and UNHCR, one in each state."
    )

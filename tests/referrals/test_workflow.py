"""Consent before sending, withdrawal, and the workflow: each transition only for the right side
and only from the right state (referrals.rules.TRANSITIONS), through the services and the pages."""

import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from referrals import rules, services
from referrals.models import Referral

from .conftest import FICTIONAL_NAME, make_referral, referral_world

pytestmark = pytest.mark.django_db

STATES = [state for state, _label in Referral.Status.choices]


def test_rules_table_names_side_and_states():
    assert rules.may_transition("acknowledge", side=rules.RECEIVER, status="sent")
    assert not rules.may_transition("acknowledge", side=rules.SENDER, status="sent")
    assert not rules.may_transition("accept", side=rules.RECEIVER, status="sent")
    assert rules.may_transition("withdraw", side=rules.SENDER, status="acknowledged")
    assert not rules.may_transition("withdraw", side=rules.SENDER, status="accepted")
    assert not rules.may_transition("close", side=None, status="accepted")


@pytest.mark.parametrize(
    ("action", "state", "side"),
    list(itertools.product(rules.TRANSITIONS, STATES, ["iom_referrals", "unhcr_referrals"])),
)
def test_each_transition_only_for_the_right_side_and_state(rworld, action, state, side):
    referral = make_referral(rworld, send=state != "draft")
    Referral.objects.filter(pk=referral.pk).update(status=state)
    referral.refresh_from_db()
    person = rworld.users[side]
    expected_side = rules.SENDER if side == "iom_referrals" else rules.RECEIVER
    allowed = rules.TRANSITIONS[action].side == expected_side and state in (
        rules.TRANSITIONS[action].sources
    )
    if state == "draft" and side == "unhcr_referrals":
        allowed = False  # the receiving side does not see a draft
    if allowed:
        services.referral_transition(referral=referral, action=action, by=person, reason="Done")
        referral.refresh_from_db()
        assert referral.status == rules.TRANSITIONS[action].target
        assert AuditEntry.objects.filter(action=f"referrals.referral.{action}").exists()
    else:
        with pytest.raises(DomainError):
            services.referral_transition(referral=referral, action=action, by=person, reason="x")
        referral.refresh_from_db()
        assert referral.status == state


def test_no_send_without_consent(rworld, client):
    draft = make_referral(rworld, consent=False, send=False)
    iom = rworld.users["iom_referrals"]
    with pytest.raises(DomainError):
        services.referral_transition(referral=draft, action="send", by=iom)
    client.force_login(iom)
    client.post(reverse("referrals:transition", args=[draft.reference, "send"]))
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_no_send_with_expired_or_withdrawn_consent(rworld):
    iom = rworld.users["iom_referrals"]
    draft = make_referral(rworld, send=False)
    draft.consent.expires_on = timezone.localdate() - timezone.timedelta(days=1)
    draft.consent.obtained_on = draft.consent.expires_on
    draft.consent.save()
    with pytest.raises(DomainError):
        services.referral_transition(referral=draft, action="send", by=iom)
    other = make_referral(rworld, name="Someone Else", send=False)
    services.consent_withdraw(referral=other, by=iom)
    with pytest.raises(DomainError):
        services.referral_transition(referral=other, action="send", by=iom)


def test_decline_needs_a_reason_and_close_an_outcome(rworld):
    unhcr = rworld.users["unhcr_referrals"]
    referral = make_referral(rworld)
    services.referral_transition(referral=referral, action="acknowledge", by=unhcr)
    with pytest.raises(DomainError):
        services.referral_transition(referral=referral, action="decline", by=unhcr, reason=" ")
    services.referral_transition(referral=referral, action="accept", by=unhcr)
    with pytest.raises(DomainError):
        services.referral_transition(referral=referral, action="close", by=unhcr)
    services.referral_transition(
        referral=referral, action="close", by=unhcr, reason="Shelter and legal aid provided."
    )
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.outcome == "Shelter and legal aid provided."
    assert referral.sent_at <= referral.acknowledged_at <= referral.accepted_at
    assert referral.closed_at == referral.ended_at


def test_receiving_side_sees_only_consented_categories(rworld, client):
    referral = make_referral(rworld, consent=["demographics"])
    client.force_login(rworld.users["unhcr_referrals"])
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Fictionland" in page
    assert FICTIONAL_NAME not in page
    assert "+000 5550 1234" not in page
    assert "abusive employer" not in page
    client.force_login(rworld.users["iom_referrals"])
    assert FICTIONAL_NAME in client.get(referral.get_absolute_url()).content.decode()


def test_withdrawing_consent_cuts_the_receiving_side_at_once(rworld, client, mailoutbox):
    referral = make_referral(rworld)
    client.force_login(rworld.users["unhcr_referrals"])
    assert FICTIONAL_NAME in client.get(referral.get_absolute_url()).content.decode()
    client.force_login(rworld.users["iom_referrals"])
    response = client.post(reverse("referrals:consent_withdraw", args=[referral.reference]))
    assert response.status_code == 302
    client.force_login(rworld.users["unhcr_referrals"])
    page = client.get(referral.get_absolute_url()).content.decode()
    assert FICTIONAL_NAME not in page
    assert "Fictionland" not in page
    assert client.get(reverse("referrals:correct", args=[referral.reference])).status_code == 404
    assert AuditEntry.objects.filter(action="referrals.consent.withdrawn").exists()
    assert referral.access_log.filter(action="consent.withdraw").exists()


def test_duplicate_warning_appears(rworld, client):
    make_referral(rworld, name="  zéphyrine   QUILLFEATHER ", year="1991")
    client.force_login(rworld.users["iom_referrals"])
    data = {
        "from_organisation": rworld.organisation("IOM").pk,
        "to_organisation": rworld.organisation("UNHCR").pk,
        "urgency": "normal",
        "services": ["protection"],
        "full_name": FICTIONAL_NAME,
        "year_of_birth": "1991",
    }
    response = client.post(reverse("referrals:create"), data, follow=True)
    assert "a person with this name and year already exists at your agency" in (
        response.content.decode()
    )
    data["year_of_birth"] = "1992"
    response = client.post(reverse("referrals:create"), data, follow=True)
    assert "already exists at your agency" not in response.content.decode()


def test_refer_only_to_an_organisation_offering_the_service(rworld):
    with pytest.raises(DomainError):
        make_referral(rworld, services=["shelter"])  # UNHCR offers no shelter in this world


def test_messages_between_the_two_sides(rworld, client):
    referral = make_referral(rworld)
    client.force_login(rworld.users["unhcr_referrals"])
    client.post(reverse("referrals:messages", args=[referral.reference]), {"body": "Received."})
    client.force_login(rworld.users["iom_referrals"])
    thread = client.get(
        reverse("referrals:messages", args=[referral.reference]), headers={"HX-Request": "true"}
    )
    assert "Received." in thread.content.decode()


def test_correction_keeps_the_history_and_erasure_destroys_it(rworld, client):
    referral = make_referral(rworld)
    unhcr = rworld.users["unhcr_referrals"]
    services.referral_correct(referral=referral, changes={"nationality": "Utopia"}, by=unhcr)
    referral.refresh_from_db()
    assert referral.nationality == "Utopia"
    assert referral.corrections.get().previous_value == "Fictionland"
    services.message_post(referral=referral, body=f"About {FICTIONAL_NAME}", by=unhcr)
    services.referral_erase(referral=referral, by=unhcr)
    referral.refresh_from_db()
    assert referral.is_erased
    assert referral.full_name == referral.summary == referral.contact == ""
    assert referral.person_hash == ""
    assert not referral.corrections.exists()
    assert referral.messages.get().body == ""
    assert referral.status == "sent"  # statistics remain
    assert referral.access_log.filter(action="erased").exists()
    client.force_login(rworld.users["iom_referrals"])
    assert FICTIONAL_NAME not in client.get(referral.get_absolute_url()).content.decode()


def test_receiver_may_read_person_until_the_sender_withdraws(rworld, client):
    assert rules.receiver_may_read_person("acknowledged")
    assert not rules.receiver_may_read_person("withdrawn")
    referral = make_referral(rworld)
    client.force_login(rworld.users["unhcr_referrals"])
    assert FICTIONAL_NAME in client.get(referral.get_absolute_url()).content.decode()
    services.referral_transition(
        referral=referral, action="withdraw", by=rworld.users["iom_referrals"], reason="Resolved"
    )
    page = client.get(referral.get_absolute_url()).content.decode()
    assert FICTIONAL_NAME not in page
    assert "+000 5550 1234" not in page
    assert client.get(reverse("referrals:correct", args=[referral.reference])).status_code == 404
    client.force_login(rworld.users["iom_referrals"])
    assert FICTIONAL_NAME in client.get(referral.get_absolute_url()).content.decode()


def test_every_refused_transition_has_its_own_sentence():
    from referrals.services import TRANSITION_REFUSED

    assert set(TRANSITION_REFUSED) == set(rules.TRANSITIONS)
    assert len({str(message) for message in TRANSITION_REFUSED.values()}) == len(rules.TRANSITIONS)


def test_a_refused_transition_reads_in_arabic_without_an_english_verb(rworld):
    from django.utils import translation

    referral = make_referral(rworld)
    with translation.override("ar"):
        with pytest.raises(DomainError) as refused:
            services.referral_transition(
                referral=referral, action="withdraw", by=rworld.users["unhcr_referrals"]
            )
        text = str(refused.value)  # shown in the reader's language, as the page does
    assert text == "لا يمكن سحب هذه الإحالة الآن."


def test_referral_emails_go_out_in_each_officers_language(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    referral_world(rworld)
    officer = rworld.users["unhcr_referrals"]
    officer.preferred_language = "ar"
    officer.save(update_fields=["preferred_language"])
    referral = make_referral(rworld, send=False)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_transition(
            referral=referral, action="send", by=rworld.users["iom_referrals"]
        )

    arabic = [m for m in mailoutbox if officer.email in m.to]
    assert arabic, [m.to for m in mailoutbox]
    assert re.search(r"[\u0600-\u06ff]", arabic[0].subject), arabic[0].subject
    assert "is now" not in arabic[0].body

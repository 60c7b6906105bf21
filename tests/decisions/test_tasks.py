"""Celery tasks of decisions: closing at the deadline, reminders, notifications; each once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from decisions import services
from decisions.models import Decision, SentReminder
from decisions.tasks import (
    announce_outcome_task,
    close_decision_task,
    close_due_decisions_task,
    notify_decision_opened_task,
    send_decision_reminders_task,
)
from members.models import Appointment
from tests.factories import open_decision

pytestmark = pytest.mark.django_db


def _shift(decision, *, opened_days_ago, deadline_in):
    """Move the decision in time: opened some days ago, with the deadline `deadline_in` away."""
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(
        opened_at=now - timedelta(days=opened_days_ago), deadline=now + deadline_in
    )
    decision.refresh_from_db()


def _recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_opening_notifies_every_focal_point_and_alternate_of_the_electorate(
    electorate, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = open_decision(by=electorate.chair)

    expected = sorted(Appointment.objects.active().values_list("person__email", flat=True))
    assert _recipients(mailoutbox) == expected
    assert decision.reference in mailoutbox[0].subject
    assert electorate.alternate_a.email in expected

    # A second run of the task (a redelivery) sends nothing more.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_decision_opened_task(decision.pk) == 0
    assert mailoutbox == []


def test_co_chairs_are_alerted_at_once_when_an_agency_objects(
    electorate, mailoutbox, django_capture_on_commit_callbacks
):
    decision = open_decision(by=electorate.chair)

    with django_capture_on_commit_callbacks(execute=True):
        services.position_record(
            decision=decision,
            organisation=electorate.agency_b,
            stance="object",
            reason="Mandate concerns",
            by=electorate.fp_b,
        )

    assert _recipients(mailoutbox) == [electorate.chair.email]
    assert "objects" in mailoutbox[0].subject
    assert "Mandate concerns" in mailoutbox[0].body

    # Changing the reason of a standing objection does not alert again.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.position_record(
            decision=decision,
            organisation=electorate.agency_b,
            stance="object",
            reason="Mandate concerns, detailed",
            by=electorate.fp_b,
        )
    assert mailoutbox == []


def test_closing_task_at_the_deadline_is_idempotent_and_announces_once(
    electorate, mailoutbox, django_capture_on_commit_callbacks
):
    decision = open_decision(by=electorate.chair)
    for person in (electorate.chair, electorate.fp_a, electorate.fp_b):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )
    assert close_due_decisions_task() == 0  # deadline not reached: nothing closes
    _shift(decision, opened_days_ago=7, deadline_in=-timedelta(seconds=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert close_due_decisions_task() == 1
        assert close_due_decisions_task() == 0
        assert close_decision_task(decision.pk) is None

    decision.refresh_from_db()
    assert decision.status == "adopted"
    assert decision.closed_by is None
    assert AuditEntry.objects.filter(action="decisions.decision.closed").count() == 1
    announced = [m for m in mailoutbox if "Adopted" in m.subject]
    assert len(announced) == Appointment.objects.active().count()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_outcome_task(decision.pk) == 0
    assert mailoutbox == []


def test_reminders_go_only_to_agencies_without_a_position_and_only_once(
    electorate, mailoutbox, django_capture_on_commit_callbacks
):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    _shift(decision, opened_days_ago=5, deadline_in=timedelta(days=2, hours=12))

    with django_capture_on_commit_callbacks(execute=True):
        send_decision_reminders_task()
        send_decision_reminders_task()

    assert _recipients(mailoutbox) == sorted([electorate.chair.email, electorate.fp_b.email])
    assert all("Reminder" in message.subject for message in mailoutbox)
    assert SentReminder.objects.filter(days_before=3).count() == 2
    assert not SentReminder.objects.filter(days_before=1).exists()

    # The day before the deadline: the 1-day reminder, once, still only to the silent agencies.
    mailoutbox.clear()
    _shift(decision, opened_days_ago=7, deadline_in=timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        send_decision_reminders_task()
        send_decision_reminders_task()
    assert _recipients(mailoutbox) == sorted([electorate.chair.email, electorate.fp_b.email])
    assert SentReminder.objects.filter(days_before=1).count() == 2


def test_no_reminder_before_its_day_nor_after_the_deadline(
    electorate, mailoutbox, django_capture_on_commit_callbacks
):
    decision = open_decision(by=electorate.chair)
    _shift(decision, opened_days_ago=1, deadline_in=timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        send_decision_reminders_task()
    assert mailoutbox == []

    _shift(decision, opened_days_ago=7, deadline_in=-timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        send_decision_reminders_task()
    assert mailoutbox == []


def test_emails_link_to_the_decision_at_the_portal_address(
    electorate, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://portal.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        decision = open_decision(by=electorate.chair)

    assert f"https://portal.example.org{decision.get_absolute_url()}" in mailoutbox[0].body

"""Invariants the database keeps whatever path a write takes."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from decisions.models import DeadlineExtension, Decision, Position, SentReminder
from tests.factories import DecisionFactory, open_decision

pytestmark = pytest.mark.django_db


def test_reference_numbers_are_unique(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            title="Copy",
            text="Copy",
            reference=decision.reference,
            year=decision.year,
            sequence=99,
            status="open",
            opened_at=decision.opened_at,
            deadline=decision.deadline,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            title="Same number",
            text="Copy",
            reference="OTHER/1",
            year=decision.year,
            sequence=decision.sequence,
            status="open",
            opened_at=decision.opened_at,
            deadline=decision.deadline,
        )


def test_an_opened_decision_has_a_reference_and_a_known_status(electorate):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(title="No number", text="x", status="open", procedure="meeting")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(status="archived")


def test_a_position_has_a_known_stance(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            decision=decision,
            organisation=electorate.agency_a,
            stance="abstain",
            recorded_by=electorate.fp_a,
        )


def test_an_extension_moves_the_deadline_later(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(
            decision=decision,
            previous_deadline=decision.deadline,
            new_deadline=decision.deadline - timedelta(days=1),
            reason="Earlier",
            extended_by=electorate.chair,
        )


def test_a_reminder_is_recorded_once(electorate):
    decision = open_decision(by=electorate.chair)
    fields = {
        "decision": decision,
        "organisation": electorate.agency_a,
        "days_before": 3,
        "deadline": decision.deadline,
    }
    SentReminder.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(**fields)

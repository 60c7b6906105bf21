"""Opening, positions, closing, extending, withdrawing and revising decisions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from decisions import services
from decisions.models import Decision, DecisionCounter, Position, PositionChange
from members.models import Membership
from tests.factories import DecisionFactory, UserFactory, member_agency, open_decision

pytestmark = pytest.mark.django_db


def _expire(decision):
    """Move the deadline into the past, as time would (the service refuses past deadlines)."""
    Decision.objects.filter(pk=decision.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    decision.refresh_from_db()


def test_opening_numbers_the_decision_and_snapshots_the_electorate(electorate):
    stakeholder = member_agency(kind="ngo")  # not a UN agency: no vote

    decision = open_decision(by=electorate.chair)

    year = timezone.localtime(decision.opened_at).year
    assert decision.status == "open"
    assert decision.reference == f"UNNM-BH/{year}/001"
    assert set(decision.electorate.values_list("organisation", flat=True)) == {
        agency.pk for agency in electorate.agencies
    }
    assert stakeholder.pk not in decision.electorate.values_list("organisation", flat=True)
    assert AuditEntry.objects.filter(action="decisions.decision.opened").count() == 1


def test_reference_numbers_follow_each_other_within_a_year(electorate):
    first = open_decision(by=electorate.chair)
    second = open_decision(by=electorate.chair)

    assert (first.sequence, second.sequence) == (1, 2)
    assert second.reference.endswith("/002")
    assert DecisionCounter.objects.get(year=first.year).last_sequence == 2


def test_drafts_have_no_number_until_they_open(electorate):
    draft = DecisionFactory()

    assert draft.reference == ""
    assert draft.sequence is None


def test_a_written_procedure_cannot_open_without_a_future_deadline(electorate):
    draft = DecisionFactory(deadline=None)

    with pytest.raises(DomainError, match="needs a deadline"):
        services.decision_open(decision=draft, by=electorate.chair)
    with pytest.raises(DomainError, match="future"):
        services.decision_open(
            decision=draft, by=electorate.chair, deadline=timezone.now() - timedelta(hours=1)
        )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not DecisionCounter.objects.exists()


def test_only_a_co_chair_opens_a_decision(electorate):
    with pytest.raises(DomainError):
        services.decision_open(decision=DecisionFactory(), by=electorate.fp_a)


def test_focal_point_records_and_changes_a_position_with_full_history(electorate):
    decision = open_decision(by=electorate.chair)

    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    services.position_record(
        decision=decision,
        organisation=electorate.agency_a,
        stance="object",
        reason="Budget not agreed",
        by=electorate.alternate_a,
    )

    position = Position.objects.get(decision=decision, organisation=electorate.agency_a)
    assert (position.stance, position.reason, position.recorded_by) == (
        "object",
        "Budget not agreed",
        electorate.alternate_a,
    )
    history = list(
        PositionChange.objects.filter(decision=decision).values_list(
            "from_stance", "to_stance", "recorded_by", "on_behalf"
        )
    )
    assert history == [
        ("", "concur", electorate.fp_a.pk, False),
        ("concur", "object", electorate.alternate_a.pk, False),
    ]
    assert AuditEntry.objects.filter(action="decisions.position.changed").count() == 1


def test_recording_the_same_position_again_adds_no_history(electorate):
    decision = open_decision(by=electorate.chair)
    for _ in range(2):
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
        )

    assert PositionChange.objects.filter(decision=decision).count() == 1


def test_an_objection_needs_a_reason(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(DomainError, match="reason"):
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="object", by=electorate.fp_a
        )
    assert not Position.objects.exists()


def test_the_database_refuses_an_objection_without_reason(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            decision=decision,
            organisation=electorate.agency_a,
            stance="object",
            recorded_by=electorate.fp_a,
        )


def test_the_database_keeps_one_position_per_agency(electorate):
    decision = open_decision(by=electorate.chair)
    Position.objects.create(
        decision=decision,
        organisation=electorate.agency_a,
        stance="concur",
        recorded_by=electorate.fp_a,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            decision=decision,
            organisation=electorate.agency_a,
            stance="stand_aside",
            recorded_by=electorate.fp_a,
        )


def test_a_focal_point_cannot_record_another_agencys_position(electorate):
    decision = open_decision(by=electorate.chair)

    with pytest.raises(DomainError, match="focal point or alternate"):
        services.position_record(
            decision=decision, organisation=electorate.agency_b, stance="concur", by=electorate.fp_a
        )
    assert not Position.objects.exists()


@pytest.mark.parametrize("role", ["rco_admin", "agency_staff", "guest", "secretariat"])
def test_people_without_an_appointment_cannot_record_positions(electorate, role):
    decision = open_decision(by=electorate.chair)
    person = UserFactory(organisation=electorate.agency_a, roles=[role])

    with pytest.raises(DomainError):
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="concur", by=person
        )


def test_co_chair_records_a_spoken_position_on_behalf_only_at_a_meeting(electorate):
    written = open_decision(by=electorate.chair)
    with pytest.raises(DomainError, match="on an agency's behalf"):
        services.position_record(
            decision=written,
            organisation=electorate.agency_b,
            stance="concur",
            by=electorate.chair,
            on_behalf=True,
        )

    at_meeting = open_decision(by=electorate.chair, procedure="meeting", deadline=None)
    services.position_record(
        decision=at_meeting,
        organisation=electorate.agency_b,
        stance="stand_aside",
        by=electorate.chair,
        on_behalf=True,
    )
    # The agency may change what was recorded for it until closing.
    services.position_record(
        decision=at_meeting, organisation=electorate.agency_b, stance="concur", by=electorate.fp_b
    )

    history = list(at_meeting.position_changes.values_list("to_stance", "on_behalf", "recorded_by"))
    assert history == [
        ("stand_aside", True, electorate.chair.pk),
        ("concur", False, electorate.fp_b.pk),
    ]


def test_text_is_locked_once_the_first_position_is_cast(electorate):
    decision = open_decision(by=electorate.chair)
    services.decision_update(decision=decision, by=electorate.chair, text="Clarified text.")

    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )

    with pytest.raises(DomainError, match="locked"):
        services.decision_update(decision=decision, by=electorate.chair, text="Another text.")
    decision.refresh_from_db()
    assert decision.text == "Clarified text."


def _all_concur(decision, electorate):
    for person in (electorate.chair, electorate.fp_a, electorate.fp_b):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )


def test_co_chair_closes_once_every_agency_has_a_position(electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    with pytest.raises(DomainError, match="Not every agency"):
        services.decision_close(decision=decision, by=electorate.chair)

    _all_concur(decision, electorate)
    services.decision_close(decision=decision, by=electorate.chair)

    decision.refresh_from_db()
    assert decision.status == "adopted"
    assert decision.closed_by == electorate.chair
    assert decision.outcome["concurring"] == sorted(a.acronym for a in electorate.agencies)


def test_objection_blocks_adoption(electorate):
    decision = open_decision(by=electorate.chair)
    _all_concur(decision, electorate)
    services.position_record(
        decision=decision,
        organisation=electorate.agency_b,
        stance="object",
        reason="Conflicts with our mandate",
        by=electorate.fp_b,
    )

    services.decision_close(decision=decision, by=electorate.chair)

    decision.refresh_from_db()
    assert decision.status == "not_adopted"
    assert decision.outcome["objecting"] == [
        {"agency": electorate.agency_b.acronym, "reason": "Conflicts with our mandate"}
    ]


def test_only_a_co_chair_closes(electorate):
    decision = open_decision(by=electorate.chair)
    _all_concur(decision, electorate)

    with pytest.raises(DomainError):
        services.decision_close(decision=decision, by=electorate.fp_a)


def test_the_scheduler_closes_only_at_the_deadline(electorate):
    decision = open_decision(by=electorate.chair)

    assert services.decision_close(decision=decision, by=None) is None
    decision.refresh_from_db()
    assert decision.status == "open"

    _expire(decision)
    services.decision_close(decision=decision, by=None)
    decision.refresh_from_db()
    assert decision.status == "not_adopted"
    assert decision.outcome["reasons"] == ["no_response", "no_concurrence"]


def test_silence_procedure_at_the_deadline_counts_silence_as_concurrence(electorate):
    decision = open_decision(by=electorate.chair, procedure="silence")
    services.position_record(
        decision=decision,
        organisation=electorate.agency_a,
        stance="stand_aside",
        by=electorate.fp_a,
    )
    _expire(decision)

    services.decision_close(decision=decision, by=None)

    decision.refresh_from_db()
    assert decision.status == "adopted"
    assert set(decision.outcome["silent"]) == {
        electorate.chair_agency.acronym,
        electorate.agency_b.acronym,
    }


def test_electorate_changed_after_opening_keeps_the_snapshot(electorate):
    decision = open_decision(by=electorate.chair)
    newcomer = member_agency()
    Membership.objects.filter(organisation=electorate.agency_b).update(left_on=timezone.localdate())
    _all_concur(decision, electorate)

    services.decision_close(decision=decision, by=electorate.chair)

    decision.refresh_from_db()
    assert decision.status == "adopted"
    assert newcomer.acronym not in decision.outcome["concurring"]
    assert electorate.agency_b.acronym in decision.outcome["concurring"]


def test_after_closing_nothing_changes(electorate):
    decision = open_decision(by=electorate.chair)
    _all_concur(decision, electorate)
    services.decision_close(decision=decision, by=electorate.chair)
    closed = Decision.objects.get(pk=decision.pk)

    with pytest.raises(DomainError, match="closed"):
        services.position_record(
            decision=decision,
            organisation=electorate.agency_a,
            stance="object",
            reason="Too late",
            by=electorate.fp_a,
        )
    with pytest.raises(DomainError, match="already closed"):
        services.decision_close(decision=decision, by=electorate.chair)
    with pytest.raises(DomainError):
        services.decision_withdraw(decision=decision, reason="Oops", by=electorate.chair)
    with pytest.raises(DomainError):
        services.decision_update(decision=decision, by=electorate.chair, title="New title")
    assert services.decision_close(decision=decision, by=None) is None

    after = Decision.objects.get(pk=decision.pk)
    assert (after.status, after.outcome, after.closed_at, after.title) == (
        closed.status,
        closed.outcome,
        closed.closed_at,
        closed.title,
    )


def test_positions_are_refused_once_the_deadline_passed_even_before_the_scheduler_runs(
    electorate,
):
    decision = open_decision(by=electorate.chair)
    _expire(decision)

    with pytest.raises(DomainError, match="deadline has passed"):
        services.position_record(
            decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
        )
    decision.refresh_from_db()
    assert decision.status == "open"  # nothing but the scheduler closes it


def test_co_chair_extends_the_deadline_with_a_reason(electorate):
    decision = open_decision(by=electorate.chair)
    old = decision.deadline
    new = old + timedelta(days=3)

    with pytest.raises(DomainError, match="reason"):
        services.decision_extend_deadline(
            decision=decision, new_deadline=new, reason=" ", by=electorate.chair
        )
    with pytest.raises(DomainError, match="later"):
        services.decision_extend_deadline(
            decision=decision,
            new_deadline=old - timedelta(hours=1),
            reason="x",
            by=electorate.chair,
        )
    services.decision_extend_deadline(
        decision=decision, new_deadline=new, reason="Awaiting HQ clearance", by=electorate.chair
    )

    decision.refresh_from_db()
    assert decision.deadline == new
    extension = decision.extensions.get()
    assert (extension.previous_deadline, extension.reason) == (old, "Awaiting HQ clearance")


def test_a_passed_deadline_cannot_be_extended(electorate):
    decision = open_decision(by=electorate.chair)
    _expire(decision)

    with pytest.raises(DomainError, match="passed"):
        services.decision_extend_deadline(
            decision=decision,
            new_deadline=timezone.now() + timedelta(days=1),
            reason="Late",
            by=electorate.chair,
        )


def test_withdraw_and_revise_links_the_new_decision_to_the_old(electorate):
    decision = open_decision(by=electorate.chair)
    services.position_record(
        decision=decision, organisation=electorate.agency_a, stance="concur", by=electorate.fp_a
    )
    with pytest.raises(DomainError, match="Withdraw"):
        services.decision_revise(decision=decision, by=electorate.chair, title="v2", text="v2")

    services.decision_withdraw(decision=decision, reason="Text to be revised", by=electorate.chair)
    revision = services.decision_revise(
        decision=decision, by=electorate.chair, title="Revised statement", text="New text"
    )

    decision.refresh_from_db()
    assert decision.status == "withdrawn"
    assert decision.withdrawal_reason == "Text to be revised"
    assert revision.replaces == decision
    assert revision.status == "draft"
    assert list(decision.revisions.all()) == [revision]


def test_withdrawal_tells_listeners_nothing_was_adopted(electorate):
    from decisions.signals import decision_closed

    received = []

    def listener(sender, decision, adopted, **kwargs):
        received.append((decision.pk, decision.status, adopted))

    decision = open_decision(by=electorate.chair)
    decision_closed.connect(listener)
    try:
        services.decision_withdraw(decision=decision, reason="Superseded", by=electorate.chair)
    finally:
        decision_closed.disconnect(listener)

    assert received == [(decision.pk, "withdrawn", False)]

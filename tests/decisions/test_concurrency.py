"""Races on PostgreSQL: real threads, real connections, real row locks."""

import threading

import pytest
from django.db import connection

from core.errors import DomainError
from core.models import AuditEntry
from decisions import services
from decisions.models import Decision, Position, PositionChange
from decisions.tasks import close_decision_task
from tests.factories import DecisionFactory, open_decision

pytestmark = pytest.mark.usefixtures("transactional_db")


def run_at_once(*functions):
    """Start every function in its own thread at the same instant; return results or errors."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected, asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_positions_from_many_threads_at_once_lose_nothing(electorate):
    decision = open_decision(by=electorate.chair)
    stances = ["concur", "stand_aside", "object"]

    def submit(index, person, organisation):
        stance = stances[index % 3]
        return lambda: services.position_record(
            decision=decision,
            organisation=organisation,
            stance=stance,
            reason="Reason" if stance == "object" else "",
            comment=f"submission {index}",
            by=person,
        )

    same_agency = [
        submit(index, electorate.fp_a if index % 2 else electorate.alternate_a, electorate.agency_a)
        for index in range(8)
    ]
    others = [
        submit(20, electorate.fp_b, electorate.agency_b),
        submit(21, electorate.chair, electorate.chair_agency),
    ]

    results = run_at_once(*same_agency, *others)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Position.objects.filter(decision=decision).count() == 3
    history = list(
        PositionChange.objects.filter(decision=decision, organisation=electorate.agency_a)
        .order_by("created_at", "pk")
        .values_list("from_stance", "to_stance", "comment")
    )
    assert len(history) == 8
    assert sorted(comment for _f, _t, comment in history) == sorted(
        f"submission {index}" for index in range(8)
    )
    # The history is a chain: each change starts from the stance the previous one left.
    previous = ""
    for from_stance, to_stance, _comment in history:
        assert from_stance == previous
        previous = to_stance
    current = Position.objects.get(decision=decision, organisation=electorate.agency_a)
    assert (current.stance, current.comment) == (history[-1][1], history[-1][2])


@pytest.mark.parametrize("attempt", range(3))
def test_closing_racing_with_a_late_position_gives_one_consistent_outcome(electorate, attempt):
    decision = open_decision(by=electorate.chair)
    for person in (electorate.chair, electorate.fp_a, electorate.fp_b):
        services.position_record(
            decision=decision, organisation=person.organisation, stance="concur", by=person
        )

    results = run_at_once(
        lambda: services.decision_close(decision=decision, by=electorate.chair),
        lambda: services.position_record(
            decision=decision,
            organisation=electorate.agency_b,
            stance="object",
            reason="Late objection",
            by=electorate.fp_b,
        ),
    )

    closed, late = results
    assert not isinstance(closed, Exception), closed
    decision.refresh_from_db()
    position = Position.objects.get(decision=decision, organisation=electorate.agency_b)
    if isinstance(late, DomainError):
        # The closing went first: the objection was refused and the decision is adopted.
        assert decision.status == "adopted"
        assert position.stance == "concur"
        assert decision.outcome["objecting"] == []
    else:
        assert not isinstance(late, Exception), late
        assert decision.status == "not_adopted"
        assert position.stance == "object"
        assert decision.outcome["objecting"] == [
            {"agency": electorate.agency_b.acronym, "reason": "Late objection"}
        ]
    assert AuditEntry.objects.filter(action="decisions.decision.closed").count() == 1


def test_closing_task_running_twice_at_once_stores_the_outcome_once(electorate):
    decision = open_decision(by=electorate.chair)
    Decision.objects.filter(pk=decision.pk).update(deadline=decision.opened_at)

    results = run_at_once(
        lambda: close_decision_task(decision.pk), lambda: close_decision_task(decision.pk)
    )

    assert sorted(results, key=str) == [None, "not_adopted"]
    assert AuditEntry.objects.filter(action="decisions.decision.closed").count() == 1


def test_reference_numbers_are_unique_and_gapless_under_concurrent_opening(electorate):
    drafts = [DecisionFactory() for _ in range(6)]

    results = run_at_once(
        *[
            (lambda draft=draft: services.decision_open(decision=draft, by=electorate.chair))
            for draft in drafts
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    sequences = sorted(Decision.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    references = set(Decision.objects.values_list("reference", flat=True))
    assert len(references) == 6

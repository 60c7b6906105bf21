"""The full-consensus rule (ToR; docs/PRODUCT.md §4) as a table of cases, and deadline helpers."""

from datetime import UTC, datetime, timedelta

import pytest

from decisions.rules import (
    CONCUR,
    OBJECT,
    STAND_ASIDE,
    all_have_responded,
    consensus_outcome,
    deadline_passed,
    due_reminder_offsets,
)

ELECTORATE = ["ILO", "IOM", "UNHCR"]


@pytest.mark.parametrize(
    ("case", "positions", "silence", "adopted", "reasons"),
    [
        (
            "all concur",
            {"ILO": (CONCUR, ""), "IOM": (CONCUR, ""), "UNHCR": (CONCUR, "")},
            False,
            True,
            (),
        ),
        (
            "one stand-aside",
            {"ILO": (CONCUR, ""), "IOM": (CONCUR, ""), "UNHCR": (STAND_ASIDE, "")},
            False,
            True,
            (),
        ),
        (
            "one object",
            {"ILO": (CONCUR, ""), "IOM": (CONCUR, ""), "UNHCR": (OBJECT, "Protection risk")},
            False,
            False,
            ("objection",),
        ),
        (
            "one missing",
            {"ILO": (CONCUR, ""), "IOM": (CONCUR, "")},
            False,
            False,
            ("no_response",),
        ),
        (
            "silence procedure with a missing agency",
            {"ILO": (CONCUR, ""), "IOM": (CONCUR, "")},
            True,
            True,
            (),
        ),
        (
            "silence procedure does not outweigh an objection",
            {"ILO": (OBJECT, "Mandate"), "IOM": (CONCUR, "")},
            True,
            False,
            ("objection",),
        ),
        (
            "everyone stands aside",
            {"ILO": (STAND_ASIDE, ""), "IOM": (STAND_ASIDE, ""), "UNHCR": (STAND_ASIDE, "")},
            False,
            False,
            ("no_concurrence",),
        ),
        ("nobody responds", {}, False, False, ("no_response", "no_concurrence")),
        ("silence procedure, nobody responds", {}, True, True, ()),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_full_consensus_rule(case, positions, silence, adopted, reasons):
    outcome = consensus_outcome(ELECTORATE, positions, silence_procedure=silence)

    assert outcome.adopted is adopted, case
    assert outcome.reasons == reasons, case


def test_objection_blocks_adoption_and_names_who_objected_and_why():
    outcome = consensus_outcome(
        ELECTORATE,
        {"ILO": (CONCUR, ""), "IOM": (CONCUR, ""), "UNHCR": (OBJECT, "Protection risk")},
    )

    assert not outcome.adopted
    assert outcome.objecting == (("UNHCR", "Protection risk"),)
    assert outcome.concurring == ("ILO", "IOM")


def test_missing_position_blocks_adoption_and_names_who_did_not_respond():
    outcome = consensus_outcome(ELECTORATE, {"ILO": (CONCUR, "")})

    assert not outcome.adopted
    assert outcome.not_responded == ("IOM", "UNHCR")
    assert outcome.silent == ()


def test_silence_procedure_counts_missing_agencies_as_concurring():
    outcome = consensus_outcome(ELECTORATE, {"ILO": (STAND_ASIDE, "")}, silence_procedure=True)

    assert outcome.adopted
    assert outcome.silent == ("IOM", "UNHCR")
    assert outcome.not_responded == ()


def test_electorate_changed_after_opening_does_not_change_the_outcome():
    # WHO joined after the decision opened: its objection is not part of the vote; UNHCR left
    # after opening but stays in the electorate, so its silence still blocks.
    positions = {"ILO": (CONCUR, ""), "IOM": (CONCUR, ""), "WHO": (OBJECT, "Late member")}

    outcome = consensus_outcome(ELECTORATE, positions)

    assert not outcome.adopted
    assert outcome.reasons == ("no_response",)
    assert outcome.objecting == ()
    assert outcome.not_responded == ("UNHCR",)


def test_an_unknown_stance_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown position"):
        consensus_outcome(["ILO"], {"ILO": ("abstain", "")})


def test_outcome_serialises_for_storage():
    outcome = consensus_outcome(["ILO", "IOM"], {"ILO": (OBJECT, "No"), "IOM": (CONCUR, "")})

    assert outcome.as_dict() == {
        "adopted": False,
        "concurring": ["IOM"],
        "standing_aside": [],
        "objecting": [{"agency": "ILO", "reason": "No"}],
        "not_responded": [],
        "silent": [],
        "silence_procedure": False,
        "reasons": ["objection"],
    }


def test_all_have_responded():
    assert all_have_responded(["A", "B"], {"A": 1, "B": 2, "C": 3})
    assert not all_have_responded(["A", "B"], {"A": 1})


def test_deadline_passed_at_the_instant_of_the_deadline():
    deadline = datetime(2026, 5, 1, 12, tzinfo=UTC)

    assert deadline_passed(deadline, deadline)
    assert not deadline_passed(deadline, deadline - timedelta(seconds=1))
    assert not deadline_passed(None, deadline)


def test_reminder_offsets_come_due_only_after_opening_and_before_the_deadline():
    deadline = datetime(2026, 5, 10, 12, tzinfo=UTC)
    opened = datetime(2026, 5, 1, 12, tzinfo=UTC)

    def due(now, opened_at=opened):
        return due_reminder_offsets(
            deadline=deadline, opened_at=opened_at, now=now, days_before=[3, 1]
        )

    assert due(datetime(2026, 5, 6, 12, tzinfo=UTC)) == []
    assert due(datetime(2026, 5, 7, 12, tzinfo=UTC)) == [3]
    assert due(datetime(2026, 5, 9, 13, tzinfo=UTC)) == [3, 1]
    assert due(deadline) == []
    # Opened two days before the deadline: no "three days left" reminder.
    assert due(datetime(2026, 5, 9, 13, tzinfo=UTC), opened_at=deadline - timedelta(days=2)) == [1]

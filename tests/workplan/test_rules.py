from datetime import date
from decimal import Decimal

from workplan import rules


def test_funding_gap_counts_confirmed_funds_only():
    totals = rules.funding_totals(
        [(Decimal("30000.00"), True), (Decimal("25000.50"), False), (Decimal("5000"), True)]
    )
    assert totals.confirmed == Decimal("35000.00")
    assert totals.pledged == Decimal("25000.50")
    assert rules.funding_gap(Decimal("100000"), totals.confirmed) == Decimal("65000.00")
    # If the pledges are honoured the gap shrinks by exactly the pledged amount.
    assert rules.funding_gap(Decimal("100000"), totals.total) == Decimal("39999.50")


def test_funding_gap_is_never_negative():
    assert rules.funding_gap(Decimal("1000"), Decimal("1500")) == Decimal("0.00")
    assert rules.funding_gap(Decimal("0"), Decimal("0")) == Decimal("0.00")


def test_funding_gap_keeps_cents_exact():
    # Binary floats would give 0.30000000000000004 here.
    assert rules.funding_gap(Decimal("0.50"), Decimal("0.10") + Decimal("0.10")) == Decimal("0.30")


def test_funded_share():
    assert rules.funded_share(Decimal("200"), Decimal("50")) == 25
    assert rules.funded_share(Decimal("200"), Decimal("500")) == 100
    assert rules.funded_share(Decimal("0"), Decimal("0")) == 100


def test_quarters():
    assert [rules.quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert rules.quarter_start(2026, 3) == date(2026, 7, 1)
    assert rules.is_active_in(2, 3, 3) and not rules.is_active_in(2, 3, 4)


def test_only_completed_and_cancelled_are_finished():
    assert rules.is_unfinished("at_risk") and rules.is_unfinished("not_started")
    assert not rules.is_unfinished("completed") and not rules.is_unfinished("cancelled")


def test_update_due_once_a_quarter_after_the_start():
    today = date(2026, 8, 15)  # Q3
    due = {"year": 2026, "start_quarter": 2, "status": "on_track", "today": today}
    assert rules.update_due(last_update=None, **due)
    assert rules.update_due(last_update=date(2026, 6, 30), **due)
    assert not rules.update_due(last_update=date(2026, 7, 1), **due)
    # Not started yet, finished, or another year's: nothing due.
    assert not rules.update_due(**{**due, "start_quarter": 4}, last_update=None)
    assert not rules.update_due(**{**due, "status": "completed"}, last_update=None)
    assert not rules.update_due(**{**due, "year": 2025}, last_update=None)


def test_quarter_span_names_one_quarter_or_a_range_in_the_active_language():
    from django.utils import translation

    from workplan.rules import quarter_span

    assert quarter_span(2, 2) == "Q2"
    assert quarter_span(1, 3) == "Q1\N{EN DASH}Q3"
    with translation.override("ar"):
        assert quarter_span(1, 3) != "Q1\N{EN DASH}Q3"

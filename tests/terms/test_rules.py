"""The yearly review ("They will be reviewed on a yearly basis")."""

from datetime import date

from terms import rules


def test_the_review_is_due_on_each_anniversary_of_the_version():
    effective = date(2024, 3, 15)
    assert rules.review_due_on(effective, date(2025, 3, 14)) is None
    assert rules.review_due_on(effective, date(2025, 3, 15)) == date(2025, 3, 15)
    assert rules.review_due_on(effective, date(2026, 3, 14)) == date(2025, 3, 15)
    assert rules.review_due_on(effective, date(2026, 3, 15)) == date(2026, 3, 15)
    assert rules.next_review_on(effective, date(2024, 3, 15)) == date(2025, 3, 15)
    assert rules.next_review_on(effective, date(2025, 3, 15)) == date(2026, 3, 15)


def test_a_29_february_version_is_reviewed_on_28_february():
    assert rules.anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert rules.anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_a_recorded_review_ends_the_wait_for_that_anniversary():
    effective = date(2024, 3, 15)
    today = date(2025, 4, 1)
    assert rules.review_pending(effective, today, set()) == date(2025, 3, 15)
    assert rules.review_pending(effective, today, {date(2025, 3, 15)}) is None


def test_a_review_answers_the_anniversary_that_came_or_the_next_one_shortly_before_it():
    effective = date(2024, 3, 15)
    # The anniversary has come: the review answers it.
    assert rules.review_cycle(effective, date(2025, 4, 1), set()) == date(2025, 3, 15)
    # Done for this year, and the next anniversary is far: nothing to review.
    assert rules.review_cycle(effective, date(2025, 4, 1), {date(2025, 3, 15)}) is None
    # Within EARLY_REVIEW_DAYS of the next anniversary: an early review answers it.
    assert rules.review_cycle(effective, date(2026, 2, 1), {date(2025, 3, 15)}) == date(2026, 3, 15)
    assert rules.review_opens_on(effective, date(2025, 4, 1)) == date(2026, 1, 14)

"""Rules of the Terms of Reference: the yearly review ("reviewed on a yearly basis")."""

from datetime import date, timedelta


def anniversary(start: date, years: int) -> date:
    """`start` plus whole years; a 29 February start falls on 28 February in other years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def review_due_on(effective_on: date, today: date) -> date | None:
    """The latest anniversary of the version on or before `today`; None in its first year."""
    years = today.year - effective_on.year
    if years >= 1 and anniversary(effective_on, years) > today:
        years -= 1
    return anniversary(effective_on, years) if years >= 1 else None


def next_review_on(effective_on: date, today: date) -> date:
    """The first anniversary of the version after `today`."""
    due = review_due_on(effective_on, today)
    years = (due.year - effective_on.year) if due else 0
    return anniversary(effective_on, years + 1)


# A review may be recorded this many days before the anniversary it answers (a meeting held
# shortly before it); earlier, it would silence next year's reminder by mistake.
EARLY_REVIEW_DAYS = 60


def review_cycle(effective_on: date, today: date, reviewed: set) -> date | None:
    """The anniversary a review recorded today answers, or None when none is open to review.

    The anniversary that has come and is not reviewed yet; otherwise the next one, from
    EARLY_REVIEW_DAYS before it.
    """
    due = review_due_on(effective_on, today)
    if due is not None and due not in reviewed:
        return due
    upcoming = next_review_on(effective_on, today)
    if (upcoming - today).days <= EARLY_REVIEW_DAYS and upcoming not in reviewed:
        return upcoming
    return None


def review_opens_on(effective_on: date, today: date) -> date:
    """The first day the next review may be recorded."""
    return next_review_on(effective_on, today) - timedelta(days=EARLY_REVIEW_DAYS)


def review_pending(effective_on: date, today: date, reviewed: set) -> date | None:
    """The anniversary whose review is awaited (the reminder and the dashboard card), or None."""
    due = review_due_on(effective_on, today)
    return due if due is not None and due not in reviewed else None

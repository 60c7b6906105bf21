"""Pure rules of the workplan: funding arithmetic, quarters, what is unfinished or due."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

QUARTER_CHOICES = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]
QUARTERS = (1, 2, 3, 4)


def quarter_span(start, end):
    """The quarters a deliverable runs over (Q1 to Q3 as a range, or Q2), in the active language."""
    labels = dict(QUARTER_CHOICES)
    if start == end:
        return str(labels[start])
    return f"{labels[start]}\N{EN DASH}{labels[end]}"


# Statuses after which a deliverable needs no more work (and no more progress updates).
CLOSED_STATUSES = frozenset({"completed", "cancelled"})
# Statuses that call for the attention of the lead agency and the co-chairs.
ATTENTION_STATUSES = frozenset({"at_risk", "delayed"})

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundingTotals:
    confirmed: Decimal
    pledged: Decimal

    @property
    def total(self):
        return self.confirmed + self.pledged


def funding_totals(rows):
    """Sum (amount, is_confirmed) rows into confirmed and pledged totals."""
    confirmed = pledged = ZERO
    for amount, is_confirmed in rows:
        if is_confirmed:
            confirmed += Decimal(amount)
        else:
            pledged += Decimal(amount)
    return FundingTotals(confirmed=confirmed, pledged=pledged)


def funding_gap(budget_required, secured):
    """What is still to be mobilised: the budget less the funds counted, never below zero.

    The network counts only confirmed funds as secured; callers that want the gap "if pledges are
    honoured" pass confirmed + pledged.
    """
    gap = Decimal(budget_required or 0) - Decimal(secured or 0)
    return max(gap, ZERO).quantize(Decimal("0.01"))


def funded_share(budget_required, secured):
    """The share of the budget covered, 0 to 100 (a deliverable with no budget is fully funded)."""
    budget = Decimal(budget_required or 0)
    if budget <= 0:
        return 100
    share = Decimal(secured or 0) * 100 / budget
    return int(min(share, Decimal(100)))


def quarter_of(day: date):
    return (day.month - 1) // 3 + 1


def quarter_start(year, quarter):
    return date(year, 3 * (quarter - 1) + 1, 1)


def is_unfinished(status):
    """Whether a deliverable still has work left (so it is carried into next year's plan)."""
    return status not in CLOSED_STATUSES


def carried_over_quarters(start_quarter, end_quarter):
    """The quarters of a deliverable carried into the next year: it resumes in Q1."""
    return 1, max(1, min(end_quarter, 4))


def update_due(*, year, start_quarter, status, last_update, today):
    """Whether the lead agency owes a progress update this quarter.

    An open deliverable of the current year that has started (its start quarter has come) needs at
    least one update dated in the current quarter.
    """
    if status in CLOSED_STATUSES or today.year != year:
        return False
    current = quarter_of(today)
    if start_quarter > current:
        return False
    return last_update is None or last_update < quarter_start(year, current)


def is_active_in(start_quarter, end_quarter, quarter):
    return start_quarter <= quarter <= end_quarter

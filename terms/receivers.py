"""What the Terms of Reference do when a decision closes (decisions.signals.decision_closed)."""

from . import services


def decision_closed(sender, decision, adopted, **kwargs):
    # Inside the decision's closing transaction: the new version commits with the outcome.
    services.amendment_settle(decision=decision, adopted=adopted)

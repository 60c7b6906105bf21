"""What the library does when a decision closes (decisions.signals.decision_closed)."""

from . import services


def on_decision_closed(sender, decision, adopted, **kwargs):
    """Products proposed for endorsement by this decision follow its outcome, in its transaction."""
    services.products_follow_decision(decision=decision, adopted=adopted)

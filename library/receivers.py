"""What the library does when a decision closes (decisions.signals.decision_closed)."""

from django.apps import apps

from . import services


def on_decision_closed(sender, decision, adopted, **kwargs):
    """Products proposed for endorsement by this decision follow its outcome, in its transaction."""
    if not apps.is_installed("library"):
        return  # the signal outlives the app when tests take it out of INSTALLED_APPS
    services.products_follow_decision(decision=decision, adopted=adopted)

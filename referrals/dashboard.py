"""The referrals card on the dashboard: what waits for my agency's action (references only)."""

from core.registry import Panel

from . import selectors


def panels(user):
    data = selectors.dashboard_for(user)
    if data is None:
        return []
    return [Panel("referrals/_dashboard_panel.html", data, order=45)]

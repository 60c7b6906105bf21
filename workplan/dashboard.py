"""The workplan's card on the dashboard: what the person's agency leads that needs them."""

from core.registry import Panel

from . import selectors
from .permissions import can_view_workplan


def panels(user):
    if not can_view_workplan(user):
        return []
    data = selectors.dashboard_for(user)
    if data is None:
        return []
    return [Panel("workplan/_dashboard_panel.html", data, order=40)]

"""The referrals card on the dashboard: what waits for my agency's action (references only)."""

from core.registry import Panel
from members.roles import Role, has_role

from . import selectors


def panels(user):
    # Like the navigation link (permissions.may_open_module): officers hold the role, so
    # everyone else is answered from the cached roles, without a query for appointments.
    if not has_role(user, Role.REFERRAL_OFFICER):
        return []
    data = selectors.dashboard_for(user)
    if data is None:
        return []
    return [Panel("referrals/_dashboard_panel.html", data, order=45)]

"""The members cards on the dashboard: invitations waiting and agencies without a focal point."""

from core.registry import Panel

from . import permissions, selectors

LIMIT = 5


def panels(user):
    if not (permissions.can_invite(user) or permissions.can_manage_appointments(user)):
        return []
    context = {}
    if permissions.can_invite(user):
        pending = selectors.invitation_list(user, status="pending")
        context["pending_invitations"] = list(pending[:LIMIT])
        context["pending_count"] = pending.count()
    if permissions.can_manage_appointments(user):
        context["without_focal_point"] = list(selectors.agencies_without_focal_point())
    return [Panel("members/_dashboard_panel.html", context, order=80)]

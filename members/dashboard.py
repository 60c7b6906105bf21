"""The members cards on the dashboard: invitations waiting and agencies without a focal point."""

from core.db import with_total
from core.registry import Panel

from . import permissions, selectors

LIMIT = 5


def panels(user):
    if not (permissions.can_invite(user) or permissions.can_manage_appointments(user)):
        return []
    context = {}
    if permissions.can_invite(user):
        # The first few and how many in all, in one query.
        pending = list(with_total(selectors.invitation_list(user, status="pending"))[:LIMIT])
        context["pending_invitations"] = pending
        context["pending_count"] = pending[0].total if pending else 0
    if permissions.can_manage_appointments(user):
        context["without_focal_point"] = list(selectors.agencies_without_focal_point())
    return [Panel("members/_dashboard_panel.html", context, order=80)]

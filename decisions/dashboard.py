"""The decisions card of the dashboard: decisions awaiting my agency's position."""

from core.registry import Panel
from members.roles import has_capability, represented_organisation_ids

from . import permissions, selectors

PANEL_LIMIT = 5


def panels(user):
    if not has_capability(user, "decisions.record_positions"):
        return []
    # A co-chair closes a decision once every agency has a position: show which ones can be.
    ready_to_close = (
        list(selectors.ready_to_close(user)[: PANEL_LIMIT + 1])
        if permissions.can_manage_decision(user)
        else []
    )
    agencies = represented_organisation_ids(user)
    awaiting = list(
        selectors.awaiting_my_position(user, agencies).select_related("proposing_organisation")[
            : PANEL_LIMIT + 1
        ]
    )
    return [
        Panel(
            template_name="decisions/_dashboard_panel.html",
            context={
                "decisions": awaiting[:PANEL_LIMIT],
                "more": len(awaiting) > PANEL_LIMIT,
                "ready_to_close": ready_to_close[:PANEL_LIMIT],
            },
            order=20,
        )
    ]

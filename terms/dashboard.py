"""The Terms of Reference card of the dashboard: the yearly review, for the co-chairs."""

from core.registry import Panel

from . import permissions, selectors


def panels(user):
    # Shown from the anniversary until a review is recorded, even one that changes nothing.
    if not permissions.can_manage_terms(user):
        return []
    version = selectors.current_version()
    status = selectors.review_status(version)
    if status["pending"] is None:
        return []
    return [
        Panel(
            template_name="terms/_dashboard_panel.html",
            context={"version": version, "due_on": status["pending"]},
            order=15,
        )
    ]

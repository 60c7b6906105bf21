"""The Terms of Reference card of the dashboard: the yearly review, for the co-chairs."""

from django.db.models import F

from core.registry import Panel

from . import permissions, rules, selectors
from .models import TermsVersion


def current_version_and_reviews():
    """The version in force and the anniversaries already reviewed, in one query."""
    rows = list(
        TermsVersion.objects.current()
        .select_related("decision", "amended_by")
        .annotate(reviewed_due_on=F("reviews__due_on"))
    )
    if not rows:  # No version yet: the selector creates the first one.
        version = selectors.current_version()
        return version, selectors.reviewed_cycles(version)
    return rows[0], {row.reviewed_due_on for row in rows if row.reviewed_due_on is not None}


def panels(user):
    # Shown from the anniversary until a review is recorded, even one that changes nothing.
    if not permissions.can_manage_terms(user):
        return []
    version, reviewed = current_version_and_reviews()
    # As selectors.review_status(version)["pending"], from the reviews read with the version.
    pending = rules.review_pending(version.effective_on, selectors.network_today(), reviewed)
    if pending is None:
        return []
    return [
        Panel(
            template_name="terms/_dashboard_panel.html",
            context={"version": version, "due_on": pending},
            order=15,
        )
    ]

"""Badge colours of the meetings module (Bootstrap classes, no inline styles: see the CSP)."""

from django import template

register = template.Library()

BADGES = {
    "draft": "text-bg-secondary",
    "scheduled": "text-bg-primary",
    "held": "text-bg-success",
    "cancelled": "text-bg-danger",
    "attending": "text-bg-success",
    "alternate": "text-bg-info",
    "not_attending": "text-bg-danger",
    "open": "text-bg-warning",
    "done": "text-bg-success",
    "dropped": "text-bg-secondary",
    "circulated": "text-bg-warning",
    "approved": "text-bg-success",
    "proposed": "text-bg-warning",
    "accepted": "text-bg-success",
    "declined": "text-bg-secondary",
}


@register.filter
def badge(status):
    """`{{ meeting.status|badge }}` → the Bootstrap badge class for a status."""
    return BADGES.get(status, "text-bg-light border")

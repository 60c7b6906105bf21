from django import template

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "open": "text-bg-primary",
    "adopted": "text-bg-success",
    "not_adopted": "text-bg-danger",
    "withdrawn": "text-bg-dark",
}
STANCE_CLASSES = {
    "concur": "text-bg-success",
    "stand_aside": "text-bg-warning",
    "object": "text-bg-danger",
}
STANCE_ICONS = {
    "concur": "bi-check-circle-fill",
    "stand_aside": "bi-dash-circle-fill",
    "object": "bi-x-circle-fill",
}


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def stance_class(stance):
    return STANCE_CLASSES.get(stance, "text-bg-light border")


@register.filter
def stance_icon(stance):
    return STANCE_ICONS.get(stance, "bi-hourglass-split")


@register.filter
def duration(delta):
    """'2 days 3 hours' style remaining time for a timedelta (None → '')."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return _("deadline passed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%d day", "%d days", days) % days)
    if hours:
        parts.append(ngettext("%d hour", "%d hours", hours) % hours)
    if not days and (minutes or not parts):
        parts.append(ngettext("%d minute", "%d minutes", minutes) % minutes)
    return " ".join(parts)

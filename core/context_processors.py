from functools import cache

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The six modules of the portal, in the order of the top navigation, each with the function of its
# app that says whether a person may open it. A module whose app is not installed yet has no URL
# and is left out, rather than linking to a 404; so is a module the person may not open.
MODULES = [
    ("members", _("Members"), "members:directory", "members.permissions.can_view_directory"),
    ("meetings", _("Meetings"), "meetings:list", "meetings.permissions.can_open_meetings"),
    ("decisions", _("Decisions"), "decisions:list", "decisions.permissions.can_view_decisions"),
    ("workplan", _("Workplan"), "workplan:index", "workplan.permissions.can_view_workplan"),
    ("referrals", _("Referrals"), "referrals:list", "referrals.permissions.can_view_referrals"),
    ("reports", _("Reports"), "reports:list", "reports.permissions.can_view_reports"),
]


@cache
def _installed_modules():
    modules = []
    for key, label, url_name, check_path in MODULES:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        modules.append((key, label, url, import_string(check_path)))
    return modules


def _module_links(user):
    if not user.is_authenticated:
        return []
    return [
        {"key": key, "label": label, "url": url}
        for key, label, url, may_open in _installed_modules()
        if may_open(user)
    ]


def portal(request):
    """The network and the navigation, for the base layout."""
    network = getattr(request, "network", None)
    current_module = ""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespaces:
        current_module = match.namespaces[0]
    return {
        "network": network,
        "nav_modules": _module_links(request.user),
        "current_module": current_module,
    }

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The six modules of the portal, in the order of the top navigation. A module whose app is not
# installed yet has no URL and is left out of the navigation rather than linking to a 404.
MODULES = [
    ("members", _("Members"), "members:directory"),
    ("meetings", _("Meetings"), "meetings:list"),
    ("decisions", _("Decisions"), "decisions:list"),
    ("workplan", _("Workplan"), "workplan:index"),
    ("referrals", _("Referrals"), "referrals:list"),
    ("reports", _("Reports"), "reports:list"),
]


def _module_links():
    links = []
    for key, label, url_name in MODULES:
        try:
            links.append({"key": key, "label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return links


def portal(request):
    """The network and the navigation, for the base layout."""
    network = getattr(request, "network", None)
    current_module = ""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespaces:
        current_module = match.namespaces[0]
    return {
        "network": network,
        "nav_modules": _module_links(),
        "current_module": current_module,
    }

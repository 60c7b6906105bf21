from django.urls import NoReverseMatch, reverse

from . import registry


def _module_links(user):
    """The modules of the navigation this person may open (registered by each app)."""
    if not user.is_authenticated:
        return []
    links = []
    for entry in registry.navigation.entries():
        if not entry.may_open(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            # An app installed without its URLs is left out rather than linking to a 404.
            continue
        links.append({"key": entry.key, "label": entry.label, "url": url})
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
        "nav_modules": _module_links(request.user),
        "current_module": current_module,
    }

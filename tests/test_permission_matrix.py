"""Walks the permission matrix (tests/permission_matrix/) with every demo account."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import permission_matrix
from tests.conftest import DEMO_USERS
from tests.permission_matrix import ROLES

# Namespaces of the portal's own apps: every pattern in them must be in the matrix.
OWN_NAMESPACES = (
    "core",
    "members",
    "meetings",
    "decisions",
    "workplan",
    "referrals",
    "reports",
    "terms",
    "library",
)


def _all_pages():
    pages = []
    for module_info in pkgutil.iter_modules(permission_matrix.__path__):
        module = importlib.import_module(f"{permission_matrix.__name__}.{module_info.name}")
        pages.extend(module.PAGES)
    return pages


PAGES = _all_pages()


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else (entry.namespace or "")
            yield from _named_patterns(entry, inner if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_of_the_portal_is_in_the_permission_matrix():
    declared = {page.url_name for page in PAGES}
    own = {name for name in _named_patterns() if name.split(":")[0] in OWN_NAMESPACES}
    missing = sorted(own - declared)
    assert not missing, (
        f"Some URLs are untested; declare them in tests/permission_matrix/: {missing}"
    )
    unknown = sorted(declared - own)
    assert not unknown, f"The matrix names URLs that do not exist: {unknown}"


def test_every_matrix_entry_names_every_role():
    for page in PAGES:
        assert set(page.expect) == set(ROLES), f"{page.id} must give a status for every role"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_permission_matrix(page, demo_world, client):
    kwargs = page.kwargs(demo_world) if page.kwargs else {}
    url = reverse(page.url_name, kwargs=kwargs)
    data = page.data(demo_world) if callable(page.data) else (page.data or {})
    headers = {"HX-Request": "true"} if page.htmx else {}
    results = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(demo_world.person(DEMO_USERS[role]))
        response = getattr(client, page.method)(url, data, headers=headers)
        results[role] = response.status_code
        if role == "anonymous" and response.status_code == 302 and not page.public:
            assert response["Location"].startswith(reverse("account_login")), (
                f"{page.id}: anonymous is sent to {response['Location']}, not to sign in"
            )
    mismatches = {
        role: f"got {results[role]}, expected {page.expect[role]}"
        for role in ROLES
        if results[role] != page.expect[role]
    }
    assert not mismatches, f"{page.id} ({url}): {mismatches}"
